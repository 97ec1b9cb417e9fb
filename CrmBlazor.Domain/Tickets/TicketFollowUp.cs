using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tickets;

/// <summary>
/// The follow-up visit after a ticket's resolution (SPEC G4, 回访): the customer's satisfaction 1–5 and comment, as
/// the service desk recorded it. One per resolution (<see cref="Round"/>). Agent, group and category are those
/// of the ticket when it was surveyed, so the statistics keep them when the ticket is later reopened and moved.
/// </summary>
public sealed class TicketFollowUp : AuditableEntity
{
    public const int MinScore = 1;
    public const int MaxScore = 5;

    /// <summary>A score at or below this tells the group's supervisors and may reopen the ticket.</summary>
    public const int LowScore = 2;

    public Guid TicketId { get; set; }

    /// <summary>The ticket's <see cref="Ticket.ReopenCount"/> when surveyed: one survey per resolution.</summary>
    public int Round { get; set; }

    public int Score { get; set; }
    public string? Comment { get; set; }
    public DateTime At { get; set; }
    public Guid? ById { get; set; }
    public string? ByName { get; set; }

    public Guid? AgentId { get; set; }
    public Guid? GroupId { get; set; }
    public required string Category { get; set; }

    /// <summary>The survey reopened the ticket (or opened a new one linked to it).</summary>
    public bool Reopened { get; set; }
}
