namespace CrmBlazor.Domain.Importing;

/// <summary><c>Export:*</c> settings: when a customer export waits for an approval (SPEC A4).</summary>
public sealed class ExportOptions
{
    public const string Section = "Export";

    /// <summary>A single export of more rows waits for an approval.</summary>
    public int ApprovalRows { get; set; } = 5000;

    /// <summary>
    /// Unapproved rows one user may export in any 24 hours (rolling), this export included; beyond them the
    /// export waits for an approval, so the threshold cannot be sliced around. Unset: <see cref="ApprovalRows"/>.
    /// </summary>
    public int? RowsPer24Hours { get; set; }

    public int RollingQuota => RowsPer24Hours ?? ApprovalRows;
}
