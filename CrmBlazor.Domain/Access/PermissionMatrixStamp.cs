namespace CrmBlazor.Domain.Access;

/// <summary>
/// The stored matrix's version: one row, bumped in the same transaction as every change to
/// <see cref="PermissionOverride"/>. Each instance compares it with the version it loaded, so a change
/// reaches every instance even when the <see cref="Live.PermissionsChanged"/> message is lost.
/// </summary>
public sealed class PermissionMatrixStamp
{
    /// <summary>The one row's key.</summary>
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;
    public long Stamp { get; set; }
}

/// <summary><c>Permissions:RecheckSeconds</c>: how often each instance compares its matrix with the stored stamp.</summary>
public sealed class PermissionRecheckOptions
{
    public const string Section = "Permissions";

    /// <summary>At most a minute, so that a lost message delays a change by a minute at most (issue #12).</summary>
    public int RecheckSeconds { get; set; } = 60;

    public bool IsValid => RecheckSeconds is > 0 and <= 60;
}
