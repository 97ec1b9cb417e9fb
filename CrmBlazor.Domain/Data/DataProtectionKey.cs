namespace CrmBlazor.Domain.Data;

/// <summary>
/// One ASP.NET data-protection key, as XML. Kept in the shared database so that every instance can
/// read the others' cookies and antiforgery tokens without depending on Redis being up.
/// </summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
