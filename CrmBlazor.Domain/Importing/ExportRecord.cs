using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// Rows one user exported at one moment: what <see cref="ExportQuota"/> adds up over a rolling 24 hours.
/// Bookkeeping, not content: the audit log has its own entry for every export.
/// </summary>
public sealed class ExportRecord : Entity
{
    public Guid UserId { get; set; }
    public DateTime At { get; set; }
    public int Rows { get; set; }

    /// <summary>The approval this export ran under. Approved rows do not count against the quota (docs/decisions/0008).</summary>
    public Guid? ApprovalId { get; set; }
}
