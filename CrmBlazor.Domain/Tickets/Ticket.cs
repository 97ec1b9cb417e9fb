using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tickets;

public enum TicketSeverity
{
    Critical,
    High,
    Medium,
    Low,
}

public enum TicketChannel
{
    Phone,
    Email,
    Visit,
    Online,
}

/// <summary>Where a ticket stands (SPEC G1); the columns of the ticket board. <see cref="TicketTransitions"/> says which moves are allowed.</summary>
public enum TicketStatus
{
    New,
    Assigned,
    InProgress,

    /// <summary>The SLA clock is paused while the ticket waits for the customer.</summary>
    WaitingForCustomer,
    Resolved,
    Closed,
}

/// <summary>Why a ticket sits in a queue without an assignee.</summary>
public enum TicketQueueReason
{
    None,

    /// <summary>No support group takes the ticket's category.</summary>
    NoGroup,

    /// <summary>The group hands out tickets by hand.</summary>
    ManualAssignment,

    /// <summary>The group auto-assigns, but every member was away or inactive: its supervisors were told.</summary>
    NobodyEligible,
}

/// <summary>
/// A customer's service ticket (SPEC G1, 工单): numbered TK{yyyy}{nnnnn}, routed to a support group (G2) and
/// timed by an SLA policy (G3). The SLA instants are stored so board and list queries filter and sort on columns.
/// </summary>
public sealed class Ticket : AuditableEntity
{
    public required string Number { get; set; }
    public Guid CustomerId { get; set; }

    /// <summary>One of the customer's contacts.</summary>
    public Guid? ContactId { get; set; }

    /// <summary>Code of the TicketCategory dictionary.</summary>
    public required string Category { get; set; }

    /// <summary>The product module concerned, free text (products have no catalogue of modules yet).</summary>
    public string? ProductModule { get; set; }

    public required string Title { get; set; }
    public required string Description { get; set; }
    public TicketSeverity Severity { get; set; }
    public TicketChannel Channel { get; set; }
    public TicketStatus Status { get; set; }

    public Guid? GroupId { get; set; }
    public Guid? AssigneeId { get; set; }
    public TicketQueueReason QueueReason { get; set; }

    /// <summary>The policy the ticket runs on, copied at creation so a later policy edit does not move its deadlines.</summary>
    public SlaMode SlaMode { get; set; }
    public int ResponseTargetMinutes { get; set; }
    public int ResolutionTargetMinutes { get; set; }

    /// <summary>When the SLA clocks started: the moment the ticket was logged.</summary>
    public DateTime OpenedAt { get; set; }

    public DateTime ResponseDueAt { get; set; }

    /// <summary>The resolution deadline, pushed back by every pause; while paused it holds the value as of the pause.</summary>
    public DateTime ResolutionDueAt { get; set; }

    /// <summary>When <see cref="SlaClock.WarningShare"/> of the response target is used: the assignee is warned (SPEC G3).</summary>
    public DateTime ResponseWarnAt { get; set; }

    /// <summary>When <see cref="SlaClock.WarningShare"/> of the resolution target is used, pauses excluded; moved with <see cref="ResolutionDueAt"/>.</summary>
    public DateTime ResolutionWarnAt { get; set; }

    /// <summary>
    /// When the SLA pass told of each stage (<see cref="TicketSlaJob"/>): set once, by a conditional update, so every
    /// instance's pass skips it afterwards. Used time never shrinks (pauses are excluded), so a stage once reached stays reached.
    /// </summary>
    public DateTime? ResponseWarnedAt { get; set; }

    public DateTime? ResponseBreachedAt { get; set; }
    public DateTime? ResolutionWarnedAt { get; set; }
    public DateTime? ResolutionBreachedAt { get; set; }

    /// <summary>The first customer-facing reply or the first move to in progress, whichever came first.</summary>
    public DateTime? FirstResponseAt { get; set; }

    public DateTime? ResolvedAt { get; set; }
    public DateTime? ClosedAt { get; set; }

    /// <summary>Since when the resolution clock is stopped (waiting for the customer, or resolved); null while it runs.</summary>
    public DateTime? PausedSince { get; set; }

    /// <summary>Clock minutes (working minutes on a working-hours policy) of the pauses that have ended.</summary>
    public int PausedMinutes { get; set; }

    /// <summary>The earlier ticket this one follows up, when it was reopened after the reopen window.</summary>
    public Guid? ReopenedFromId { get; set; }

    public int ReopenCount { get; set; }

    /// <summary>How many history rows the ticket has: the next row's <see cref="TicketHistory.Sequence"/> (guarded by the ticket's version).</summary>
    public int HistoryCount { get; set; }
}

/// <summary>One changed field of a ticket: who, when, from → to (SPEC G1 history). Values are codes and ids, labelled by the UI.</summary>
public sealed class TicketHistory : Entity
{
    public Guid TicketId { get; set; }

    /// <summary>1, 2, 3… per ticket: the order of changes, also of those made in the same instant.</summary>
    public int Sequence { get; set; }

    public DateTime At { get; set; }
    public Guid? ByUserId { get; set; }
    public string? ByName { get; set; }
    public required string Field { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
}

/// <summary>A comment on a ticket: an internal note for colleagues, or a reply to the customer.</summary>
public sealed class TicketComment : Entity
{
    public Guid TicketId { get; set; }
    public required string Body { get; set; }
    public bool IsInternal { get; set; }
    public DateTime At { get; set; }
    public Guid? ByUserId { get; set; }
    public string? ByName { get; set; }
}
