using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.WorkingTime;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>A ticket as lists, boards and My work show it: with its SLA instants, so a card can count down.</summary>
public sealed record TicketListItem(
    Guid Id, string Number, string Title, Guid CustomerId, string CustomerName, string Category, TicketSeverity Severity,
    TicketStatus Status, Guid? GroupId, string? GroupName, Guid? AssigneeId, string? AssigneeName, TicketQueueReason QueueReason,
    DateTime CreatedAt, DateTime ResponseDueAt, DateTime ResponseWarnAt, DateTime? FirstResponseAt, DateTime ResolutionDueAt,
    DateTime ResolutionWarnAt, DateTime? ResolvedAt, bool IsPaused, int Version);

public sealed record TicketBoardColumn(TicketStatus Status, int Count, IReadOnlyList<TicketListItem> Items);

public sealed record TicketHistoryItem(DateTime At, string? ByName, string Field, string? From, string? To);

public sealed record TicketCommentItem(Guid Id, DateTime At, string? ByName, bool IsInternal, string Body);

/// <summary>Where a ticket's two clocks stand now: fractions of their targets (1 = due), null once met or stopped.</summary>
public sealed record TicketSlaState(double? ResponseFraction, double? ResolutionFraction, bool ResponseBreached, bool ResolutionBreached);

public sealed record TicketDetail(
    TicketListItem Summary, Guid? ContactId, string? ContactName, string? ProductModule, string Description, TicketChannel Channel,
    SlaMode SlaMode, int ResponseTargetMinutes, int ResolutionTargetMinutes, int PausedMinutes, DateTime? PausedSince,
    Guid? ReopenedFromId, string? ReopenedFromNumber, int ReopenCount, TicketSlaState Sla,
    IReadOnlyList<TicketHistoryItem> History, IReadOnlyList<TicketCommentItem> Comments, IReadOnlyList<TicketAttachmentItem> Attachments);

public enum TicketSort
{
    /// <summary>The most urgent deadline first: the response deadline until answered, then the resolution deadline.</summary>
    Urgency,
    Number,
    CreatedAt,
    Severity,
}

/// <summary>
/// The list's and board's filters; every one optional. <see cref="Breached"/> true: a deadline missed (or running late now).
/// <see cref="Search"/>: a ticket number (TK…, its start) or words of the title.
/// </summary>
public sealed record TicketFilter(
    Guid? GroupId = null, Guid? AssigneeId = null, TicketSeverity? Severity = null, string? Category = null, Guid? CustomerId = null,
    bool? Breached = null, TicketStatus? Status = null, bool? Unassigned = null, bool OpenOnly = false, string? Search = null);

/// <summary>Ticket lists, the board, a customer's tickets, my open tickets and the ticket page (SPEC G1, G3), within <see cref="TicketScope"/>.</summary>
public sealed class TicketQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock)
{
    /// <summary>One page of tickets, filtered and sorted on the server (a unique order: … then number).</summary>
    public async Task<PagedResult<TicketListItem>> ListAsync(TicketFilter filter, TicketSort sort = TicketSort.Urgency, bool descending = false,
        int skip = 0, int take = 50, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = await FilteredAsync(db, filter, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        var page = Sorted(query, sort, descending).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 500));
        var items = await PageAsync(db, page, ids => Sorted(ids, sort, descending), cancellationToken);
        return new PagedResult<TicketListItem>(items, total);
    }

    /// <summary>The board: one column per status with its count and its most urgent <paramref name="perColumn"/> cards.</summary>
    public async Task<IReadOnlyList<TicketBoardColumn>> BoardAsync(TicketFilter filter, int perColumn = 100, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = await FilteredAsync(db, filter, cancellationToken);
        var counts = await query.GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var columns = new List<TicketBoardColumn>();
        foreach (var status in Enum.GetValues<TicketStatus>())
        {
            var inColumn = query.Where(t => t.Status == status);
            // Open columns show the most urgent first; the resolved and closed ones the latest resolved (urgency means nothing there).
            Func<IQueryable<Ticket>, IQueryable<Ticket>> order = TicketTransitions.IsOpen(status)
                ? q => Sorted(q, TicketSort.Urgency, false)
                : q => q.OrderByDescending(t => t.ResolvedAt).ThenByDescending(t => t.Number);
            var items = counts.GetValueOrDefault(status) == 0 ? [] : await PageAsync(db, order(inColumn).Take(perColumn), order, cancellationToken);
            columns.Add(new TicketBoardColumn(status, counts.GetValueOrDefault(status), items));
        }
        return columns;
    }

    /// <summary>A customer's tickets, newest first (the 360 page's tab).</summary>
    public Task<PagedResult<TicketListItem>> ForCustomerAsync(Guid customerId, int skip = 0, int take = 50, CancellationToken cancellationToken = default) =>
        ListAsync(new TicketFilter(CustomerId: customerId), TicketSort.CreatedAt, descending: true, skip, take, cancellationToken);

    /// <summary>My open tickets, the most urgent first (My work).</summary>
    public async Task<IReadOnlyList<TicketListItem>> MyOpenAsync(int take = 50, CancellationToken cancellationToken = default)
    {
        var me = currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
        return (await ListAsync(new TicketFilter(AssigneeId: me, OpenOnly: true), TicketSort.Urgency, false, 0, take, cancellationToken)).Items;
    }

    public async Task<TicketDetail> DetailAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.VisibleTicketAsync(currentUser, id, cancellationToken);
        var summary = await Project(db, db.Tickets.Where(t => t.Id == id)).SingleAsync(cancellationToken);
        var contactName = ticket.ContactId is { } contactId ? await db.Contacts.Where(c => c.Id == contactId).Select(c => c.Name).SingleOrDefaultAsync(cancellationToken) : null;
        var reopenedFrom = ticket.ReopenedFromId is { } fromId ? await db.Tickets.Where(t => t.Id == fromId).Select(t => t.Number).SingleOrDefaultAsync(cancellationToken) : null;
        var history = await db.TicketHistory.AsNoTracking().Where(h => h.TicketId == id).OrderBy(h => h.Sequence)
            .Select(h => new TicketHistoryItem(h.At, h.ByName, h.Field, h.From, h.To)).ToListAsync(cancellationToken);
        var comments = await db.TicketComments.AsNoTracking().Where(c => c.TicketId == id).OrderBy(c => c.At).ThenBy(c => c.Id)
            .Select(c => new TicketCommentItem(c.Id, c.At, c.ByName, c.IsInternal, c.Body)).ToListAsync(cancellationToken);
        var attachments = await TicketAttachmentService.ListAsync(db, id, cancellationToken);
        var calendar = await WorkingCalendarService.LoadAsync(db, clock.Zone, cancellationToken);
        return new TicketDetail(summary, ticket.ContactId, contactName, ticket.ProductModule, ticket.Description, ticket.Channel,
            ticket.SlaMode, ticket.ResponseTargetMinutes, ticket.ResolutionTargetMinutes, ticket.PausedMinutes, ticket.PausedSince,
            ticket.ReopenedFromId, reopenedFrom, ticket.ReopenCount, SlaStateOf(ticket, calendar, clock.UtcNow), history, comments, attachments);
    }

    /// <summary>The clocks of one ticket at <paramref name="nowUtc"/>; the resolution clock stands still while paused.</summary>
    public static TicketSlaState SlaStateOf(Ticket ticket, WorkingCalendar calendar, DateTime nowUtc)
    {
        double? response = ticket.FirstResponseAt is null
            ? Fraction(SlaClock.Measure(ticket.OpenedAt, nowUtc, ticket.SlaMode, calendar), ticket.ResponseTargetMinutes)
            : null;
        double? resolution = ticket.ResolvedAt is null
            ? Fraction(SlaClock.Measure(ticket.OpenedAt, ticket.PausedSince ?? nowUtc, ticket.SlaMode, calendar) - TimeSpan.FromMinutes(ticket.PausedMinutes), ticket.ResolutionTargetMinutes)
            : null;
        return new TicketSlaState(response, resolution,
            (ticket.FirstResponseAt ?? nowUtc) > ticket.ResponseDueAt,
            ticket.ResolvedAt is { } resolvedAt ? resolvedAt > ticket.ResolutionDueAt : resolution > 1);
    }

    private static double Fraction(TimeSpan used, int targetMinutes) => targetMinutes <= 0 ? 1 : Math.Max(0, used.TotalMinutes) / targetMinutes;

    private async Task<IQueryable<Ticket>> FilteredAsync(CrmDbContext db, TicketFilter filter, CancellationToken cancellationToken)
    {
        var query = await db.SeesEveryTicketOfAsync(currentUser, filter.GroupId, filter.AssigneeId, cancellationToken)
            ? db.Tickets.AsNoTracking()
            : db.Tickets.AsNoTracking().VisibleTo(db, currentUser);
        if (filter.GroupId is { } groupId)
        {
            query = query.Where(t => t.GroupId == groupId);
        }
        if (filter.AssigneeId is { } assigneeId)
        {
            query = query.Where(t => t.AssigneeId == assigneeId);
        }
        if (filter.Severity is { } severity)
        {
            query = query.Where(t => t.Severity == severity);
        }
        if (!string.IsNullOrEmpty(filter.Category))
        {
            query = query.Where(t => t.Category == filter.Category);
        }
        if (filter.CustomerId is { } customerId)
        {
            query = query.Where(t => t.CustomerId == customerId);
        }
        if (filter.Status is { } status)
        {
            query = query.Where(t => t.Status == status);
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            query = query.Where(t => t.Number.StartsWith(term) || t.Title.Contains(term));
        }
        if (filter.OpenOnly)
        {
            query = query.Where(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed);
        }
        if (filter.Unassigned is { } unassigned)
        {
            query = unassigned ? query.Where(t => t.AssigneeId == null) : query.Where(t => t.AssigneeId != null);
        }
        if (filter.Breached is { } breached)
        {
            var now = clock.UtcNow;
            query = breached
                ? query.Where(t => (t.FirstResponseAt == null ? t.ResponseDueAt < now : t.FirstResponseAt > t.ResponseDueAt)
                    || (t.ResolvedAt == null ? t.PausedSince == null && t.ResolutionDueAt < now : t.ResolvedAt > t.ResolutionDueAt))
                : query.Where(t => !((t.FirstResponseAt == null ? t.ResponseDueAt < now : t.FirstResponseAt > t.ResponseDueAt)
                    || (t.ResolvedAt == null ? t.PausedSince == null && t.ResolutionDueAt < now : t.ResolvedAt > t.ResolutionDueAt)));
        }
        return query;
    }

    private static IQueryable<Ticket> Sorted(IQueryable<Ticket> query, TicketSort sort, bool descending) => (sort, descending) switch
    {
        (TicketSort.Number, false) => query.OrderBy(t => t.Number),
        (TicketSort.Number, true) => query.OrderByDescending(t => t.Number),
        (TicketSort.CreatedAt, false) => query.OrderBy(t => t.OpenedAt).ThenBy(t => t.Number),
        (TicketSort.CreatedAt, true) => query.OrderByDescending(t => t.OpenedAt).ThenByDescending(t => t.Number),
        (TicketSort.Severity, false) => query.OrderBy(t => t.Severity == TicketSeverity.Critical ? 0 : t.Severity == TicketSeverity.High ? 1 : t.Severity == TicketSeverity.Medium ? 2 : 3).ThenBy(t => t.Number),
        (TicketSort.Severity, true) => query.OrderByDescending(t => t.Severity == TicketSeverity.Critical ? 0 : t.Severity == TicketSeverity.High ? 1 : t.Severity == TicketSeverity.Medium ? 2 : 3).ThenBy(t => t.Number),
        // Urgency: a paused clock is least urgent; otherwise the deadline that runs now.
        (_, false) => query.OrderBy(t => t.PausedSince != null).ThenBy(t => t.FirstResponseAt == null ? t.ResponseDueAt : t.ResolutionDueAt).ThenBy(t => t.Number),
        (_, true) => query.OrderBy(t => t.PausedSince == null).ThenByDescending(t => t.FirstResponseAt == null ? t.ResponseDueAt : t.ResolutionDueAt).ThenBy(t => t.Number),
    };

    /// <summary>
    /// One page in two steps: the page's ids, chosen from an index that holds every filter and sort column (no table row
    /// is read for the thousands of tickets that do not make the page), then those rows with their customer, group and
    /// assignee, in the same order.
    /// </summary>
    private static Task<List<TicketListItem>> PageAsync(CrmDbContext db, IQueryable<Ticket> page, Func<IQueryable<Ticket>, IQueryable<Ticket>> order,
        CancellationToken cancellationToken)
    {
        var ids = page.Select(t => t.Id);
        return Project(db, order(db.Tickets.AsNoTracking().Where(t => ids.Contains(t.Id)))).ToListAsync(cancellationToken);
    }

    private static IQueryable<TicketListItem> Project(CrmDbContext db, IQueryable<Ticket> query) =>
        from t in query
        join c in db.Customers on t.CustomerId equals c.Id
        join g in db.SupportGroups on t.GroupId equals g.Id into groups
        from g in groups.DefaultIfEmpty()
        join u in db.Users on t.AssigneeId equals u.Id into users
        from u in users.DefaultIfEmpty()
        select new TicketListItem(t.Id, t.Number, t.Title, t.CustomerId, c.Name, t.Category, t.Severity, t.Status, t.GroupId, g.Name,
            t.AssigneeId, u.DisplayName, t.QueueReason, t.OpenedAt, t.ResponseDueAt, t.ResponseWarnAt, t.FirstResponseAt, t.ResolutionDueAt,
            t.ResolutionWarnAt, t.ResolvedAt, t.PausedSince != null, t.Version);
}
