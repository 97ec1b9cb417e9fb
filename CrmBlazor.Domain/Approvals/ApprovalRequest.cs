using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;

namespace CrmBlazor.Domain.Approvals;

public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,

    /// <summary>Approved and carried out: an approved operation runs once.</summary>
    Completed,
}

/// <summary>
/// A request for an operation that needs a second person's yes (SPEC A4): a large export first; bulk
/// deletes and merges use the same queue. <see cref="Payload"/> is what the operation needs (JSON).
/// </summary>
public sealed class ApprovalRequest : AuditableEntity
{
    public required string Kind { get; set; }

    /// <summary>What is asked, as the facts of its kind (JSON, <see cref="ApprovalSummary"/>); null on requests stored before 2026-12-06.</summary>
    public string? SummaryFacts { get; set; }

    /// <summary>What was asked, as one sentence in both languages: requests stored before 2026-12-06 only.</summary>
    public string? LegacySummary { get; set; }

    public required string Payload { get; set; }
    public Guid RequestedById { get; set; }
    public required string RequestedByName { get; set; }
    public ApprovalStatus Status { get; set; }
    public string? DecidedByName { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? Comment { get; set; }
    public DateTime? CompletedAt { get; set; }
}

public static class ApprovalKinds
{
    public const string CustomerExport = "customer-export";
    public const string CustomerMerge = "customer-merge";
    public const string CustomerBulkDelete = "customer-bulk-delete";

    /// <summary>A large opportunity's move past negotiation (SPEC A4, F2): the approval itself carries it out.</summary>
    public const string OpportunityMove = "opportunity-move";

    /// <summary>A supervisor's assignment of a lead, when <c>Pipeline:LeadAssignmentNeedsApproval</c> is on (SPEC A4, F1).</summary>
    public const string LeadAssignment = "lead-assignment";

    /// <summary>Whether <paramref name="value"/> is one of these kinds (a stored notification names the kind where it once held a sentence).</summary>
    public static bool IsKind(string value) => value is CustomerExport or CustomerMerge or CustomerBulkDelete or OpportunityMove or LeadAssignment;
}

/// <summary>
/// A kind of request whose decision is itself the operation: <see cref="ApprovalService.DecideAsync"/> calls it inside the
/// decision's own save, so an approval carries the operation out exactly once and a rejection drops it.
/// </summary>
public interface IApprovalOutcome
{
    string Kind { get; }

    /// <summary>Changes what the decision decides, on <paramref name="db"/>; the caller saves (with the request) and publishes.</summary>
    Task ApplyAsync(CrmDbContext db, ApprovalRequest request, bool approved, CancellationToken cancellationToken);
}
