namespace CrmBlazor.Domain.Common;

/// <summary>
/// A message argument that is itself text for the user, named by its resource key (a status, a kind): the UI puts
/// it in the reader's language before it fills the message, where a plain value is shown as it is.
/// </summary>
public sealed record TextKey(string Key)
{
    public override string ToString() => Key;
}
