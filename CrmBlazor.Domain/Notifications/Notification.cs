using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Notifications;

/// <summary>
/// One notification for one user (SPEC C4). <see cref="Kind"/> and <see cref="Values"/> are rendered
/// in the reader's language; <see cref="DedupKey"/> is unique, so the same event never notifies twice,
/// whichever instance or job raises it.
/// </summary>
public sealed class Notification : Entity
{
    public Guid UserId { get; set; }
    public required string Kind { get; set; }

    /// <summary>The facts the text needs, as a JSON array of strings.</summary>
    public string Values { get; set; } = "[]";

    /// <summary>What it is about (<see cref="NotificationSubject"/>, as text): the Server links it to its page.</summary>
    public string? Subject { get; set; }
    public required string DedupKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
}

public static class NotificationKinds
{
    /// <summary>Values: who assigned it, what, the customer.</summary>
    public const string TodoAssigned = "todo-assigned";

    /// <summary>Values: who assigned it, the demand number, the customer.</summary>
    public const string DemandAssigned = "demand-assigned";

    /// <summary>Values: who assigned it, the task, the demand number.</summary>
    public const string TaskAssigned = "task-assigned";

    /// <summary>Values: who assigned it (or logged it, when auto-assigned), the ticket number, the customer.</summary>
    public const string TicketAssigned = "ticket-assigned";

    /// <summary>Values: the ticket number, the support group (empty without one), the customer, the <c>TicketQueueReason</c>.</summary>
    public const string TicketQueued = "ticket-queued";

    /// <summary>Values: the demand number, the customer, the deadline (ISO 8601, UTC).</summary>
    public const string SlaBreached = "sla-breached";

    /// <summary>Values: the ticket number, the customer, the first-response deadline (ISO 8601, UTC). To the assignee at 75% of the target.</summary>
    public const string TicketResponseWarning = "ticket-response-warning";

    /// <summary>Values as <see cref="TicketResponseWarning"/>. To the assignee and the group's supervisors at the deadline.</summary>
    public const string TicketResponseBreached = "ticket-response-breached";

    /// <summary>Values: the ticket number, the customer, the resolution deadline (ISO 8601, UTC). To the assignee at 75% of the target.</summary>
    public const string TicketResolutionWarning = "ticket-resolution-warning";

    /// <summary>Values as <see cref="TicketResolutionWarning"/>. To the assignee and the group's supervisors at the deadline.</summary>
    public const string TicketResolutionBreached = "ticket-resolution-breached";

    /// <summary>Values: who asks, the request's kind, its <see cref="Approvals.ApprovalSummary.Facts"/>. Stored before 2026-12-06: who asks, a sentence.</summary>
    public const string ApprovalRequested = "approval-requested";

    /// <summary>An opportunity was given to this user (SPEC D5): values assigner, number, customer.</summary>
    public const string OpportunityAssigned = "opportunity-assigned";

    /// <summary>A lead was given to this user (SPEC D5): values assigner, lead number, company.</summary>
    public const string LeadAssigned = "lead-assigned";

    /// <summary>Values: who decided, the request's kind, the comment, its <see cref="Approvals.ApprovalSummary.Facts"/>. Stored before 2026-12-06: who decided, a sentence, the comment.</summary>
    public const string ApprovalApproved = "approval-approved";

    /// <summary>Values as <see cref="ApprovalApproved"/>, the comment saying why.</summary>
    public const string ApprovalRejected = "approval-rejected";

    /// <summary>Values: the file, imported, updated, skipped.</summary>
    public const string ImportFinished = "import-finished";

    /// <summary>Values: the ticket number, the satisfaction score (1–5), the customer, the comment (may be empty).</summary>
    public const string TicketLowSatisfaction = "ticket-low-satisfaction";
}
