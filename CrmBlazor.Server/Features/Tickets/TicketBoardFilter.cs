using CrmBlazor.Domain.Tickets;

namespace CrmBlazor.Server.Features.Tickets;

/// <summary>What the ticket board's filter bar holds (SPEC G3): group, assignee, severity, category, customer, overdue only.</summary>
public sealed class TicketBoardFilter
{
    public Guid? GroupId { get; set; }
    public Guid? AssigneeId { get; set; }
    public TicketSeverity? Severity { get; set; }
    public string? Category { get; set; }
    public Guid? CustomerId { get; set; }

    /// <summary>The chosen customer's name, for the chip; the query needs only the id.</summary>
    public string? CustomerName { get; set; }

    public bool BreachedOnly { get; set; }

    public TicketFilter ToQuery() => new(GroupId, AssigneeId, Severity, Category, CustomerId, BreachedOnly ? true : null);
}
