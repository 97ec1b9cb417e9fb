using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Auditing;

/// <summary>One line of the append-only 操作日志 (SPEC A5). The app inserts these and never changes them.</summary>
public sealed class AuditEntry : Entity
{
    public DateTime At { get; set; }
    public Guid? UserId { get; set; }
    public required string UserName { get; set; }
    public AuditAction Action { get; set; }
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }

    /// <summary>JSON array of <see cref="FieldChange"/>: field-level before → after.</summary>
    public string? Changes { get; set; }
}

public enum AuditAction
{
    Create,
    Update,
    Delete,
    SignIn,
    SignOut,
    Import,
    Export,
    Merge,
    PermissionChange,

    /// <summary>A sign-in that was refused: unknown or disabled user, a token that failed validation, another tenant.</summary>
    SignInFailed,

    /// <summary>A signed-in user refused a page, endpoint or file (HTTP 403 or the access-denied redirect).</summary>
    AccessDenied,

    /// <summary>A stored file handed out (demand evidence).</summary>
    Download,
}

public sealed record FieldChange(string Field, string? Before, string? After);
