using CrmBlazor.Domain.WorkingTime;

namespace CrmBlazor.Domain.Tickets;

/// <summary>
/// The ticket's status machine (SPEC G1) and what each move does to the SLA clock. New leaves only by assignment;
/// resolved and closed come back only by a reopen. The resolution clock stands still while the ticket waits for
/// the customer or is resolved; first response is the first customer-facing reply or the first move to in
/// progress — a move straight to waiting or resolved counts as one too, since either tells the customer something.
/// </summary>
public static class TicketTransitions
{
    private static readonly Dictionary<TicketStatus, TicketStatus[]> Allowed = new()
    {
        [TicketStatus.New] = [TicketStatus.Assigned],
        [TicketStatus.Assigned] = [TicketStatus.InProgress, TicketStatus.WaitingForCustomer, TicketStatus.Resolved],
        [TicketStatus.InProgress] = [TicketStatus.WaitingForCustomer, TicketStatus.Resolved],
        [TicketStatus.WaitingForCustomer] = [TicketStatus.InProgress, TicketStatus.Resolved],
        [TicketStatus.Resolved] = [TicketStatus.Closed, TicketStatus.InProgress],
        [TicketStatus.Closed] = [TicketStatus.InProgress],
    };

    public static bool IsAllowed(TicketStatus from, TicketStatus to) => Allowed[from].Contains(to);

    public static IReadOnlyList<TicketStatus> From(TicketStatus status) => Allowed[status];

    /// <summary>A move back out of resolved or closed.</summary>
    public static bool IsReopen(TicketStatus from, TicketStatus to) => from is TicketStatus.Resolved or TicketStatus.Closed && to == TicketStatus.InProgress;

    public static bool IsOpen(TicketStatus status) => status is not (TicketStatus.Resolved or TicketStatus.Closed);

    /// <summary>Statuses in which the resolution clock stands still.</summary>
    public static bool IsPaused(TicketStatus status) => status is TicketStatus.WaitingForCustomer or TicketStatus.Resolved or TicketStatus.Closed;

    /// <summary>Moves the ticket and keeps its SLA instants true: pauses, first response, resolution, closure, reopen.</summary>
    public static void Apply(Ticket ticket, TicketStatus to, DateTime nowUtc, WorkingCalendar calendar)
    {
        var from = ticket.Status;
        if (ticket.PausedSince is { } since && !IsPaused(to))
        {
            ticket.PausedMinutes += (int)Math.Round(SlaClock.Measure(since, nowUtc, ticket.SlaMode, calendar).TotalMinutes);
            ticket.PausedSince = null;
            ticket.ResolutionDueAt = SlaClock.DueAt(ticket.OpenedAt, ticket.ResolutionTargetMinutes, ticket.SlaMode, calendar, TimeSpan.FromMinutes(ticket.PausedMinutes));
            ticket.ResolutionWarnAt = SlaClock.WarnAt(ticket.OpenedAt, ticket.ResolutionTargetMinutes, ticket.SlaMode, calendar, TimeSpan.FromMinutes(ticket.PausedMinutes));
        }
        else if (ticket.PausedSince is null && IsPaused(to))
        {
            ticket.PausedSince = nowUtc;
        }
        if (to is TicketStatus.InProgress or TicketStatus.WaitingForCustomer or TicketStatus.Resolved)
        {
            ticket.FirstResponseAt ??= nowUtc;
        }
        if (to == TicketStatus.Resolved)
        {
            ticket.ResolvedAt = nowUtc;
        }
        if (to == TicketStatus.Closed)
        {
            ticket.ResolvedAt ??= nowUtc;
            ticket.ClosedAt = nowUtc;
        }
        if (IsReopen(from, to))
        {
            ticket.ResolvedAt = null;
            ticket.ClosedAt = null;
            ticket.ReopenCount++;
        }
        ticket.Status = to;
    }
}
