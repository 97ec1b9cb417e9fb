using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>
/// Which tickets a user may see (SPEC A3, G1): those of customers in their record scope (CustomerService,
/// Analyst and Admin see every customer; a SalesRep their own; a Supervisor their team's), plus the tickets of the
/// support groups they belong to or supervise and the tickets given to them.
/// </summary>
public static class TicketScope
{
    public static IQueryable<Ticket> VisibleTo(this IQueryable<Ticket> tickets, CrmDbContext db, ICurrentUser user)
    {
        if (RecordScope.SeesEveryone(user))
        {
            return tickets;
        }
        if (user.UserId is not { } me)
        {
            return tickets.Where(_ => false);
        }
        var customers = db.Customers.VisibleTo(user).Select(c => c.Id);
        var groups = db.SupportGroupMembers.Where(m => m.UserId == me).Select(m => m.GroupId);
        return tickets.Where(t => customers.Contains(t.CustomerId) || t.AssigneeId == me || (t.GroupId != null && groups.Contains(t.GroupId.Value)));
    }

    /// <summary>
    /// Whether the scope lets the user see every ticket a filter on <paramref name="groupId"/> or <paramref name="assigneeId"/>
    /// matches: a group they belong to, or tickets given to them. The filter alone is then the scope, and a group's board
    /// counts from an index instead of testing each ticket's customer.
    /// </summary>
    public static async Task<bool> SeesEveryTicketOfAsync(this CrmDbContext db, ICurrentUser user, Guid? groupId, Guid? assigneeId, CancellationToken cancellationToken) =>
        RecordScope.SeesEveryone(user)
        || (user.UserId is { } me && (assigneeId == me
            || (groupId is { } group && await db.SupportGroupMembers.AnyAsync(m => m.UserId == me && m.GroupId == group, cancellationToken))));

    /// <summary>The ticket if the user may see it; otherwise refused (someone else's) or not found.</summary>
    public static async Task<Ticket> VisibleTicketAsync(this CrmDbContext db, ICurrentUser user, Guid id, CancellationToken cancellationToken)
    {
        var ticket = await db.Tickets.VisibleTo(db, user).SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (ticket is not null)
        {
            return ticket;
        }
        throw await db.Tickets.AnyAsync(t => t.Id == id, cancellationToken)
            ? new AccessDeniedException("Error.TicketOutOfScope", "This ticket belongs to a customer outside your portfolio.")
            : new NotFoundException(nameof(Ticket), id);
    }
}
