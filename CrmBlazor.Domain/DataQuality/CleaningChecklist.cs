using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.DataQuality;

/// <summary>
/// A customer on the monthly cleaning checklist (SPEC H5, seeds: 每月开展一次数据清洗): opened for its owner in the month
/// its problems were found, open until the owner ticks it off, and carried over month to month until then.
/// </summary>
public sealed class CleaningItem : Entity
{
    public Guid CustomerId { get; set; }
    public Guid? OwnerId { get; set; }
    public required string OpenedMonth { get; set; }

    /// <summary>What was wrong when it was opened (the list shows what is wrong now).</summary>
    public QualityProblems Problems { get; set; }
    public bool WasStale { get; set; }
    public DateTime? DoneAt { get; set; }
    public string? DoneByName { get; set; }
}

/// <summary>A checklist line: the customer, since when it is on the list, what is wrong with it now, and who ticked it off.</summary>
public sealed record CleaningLine(Guid Id, Guid CustomerId, string Number, string Name, string? OwnerName, string OpenedMonth,
    IReadOnlyList<QualityIssue> Issues, DateTime? DoneAt, string? DoneByName);

/// <summary>The caller's checklist (their customers, or their team's): open lines (oldest month first), then those ticked off this month; at most 200, with the totals.</summary>
public sealed record CleaningChecklistView(IReadOnlyList<CleaningLine> Lines, int Open, int DoneThisMonth, int CarriedOver);

/// <summary>The monthly cleaning checklist (SPEC H5): opened by <see cref="DataQualityJob"/>, read and ticked off here, within the caller's scope.</summary>
public sealed class CleaningChecklist(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock)
{
    private const int Shown = 200;

    public async Task<CleaningChecklistView> ReadAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        var (month, monthStart, staleBefore) = (clock.Month, clock.StartOfMonthUtc, clock.UtcNow.AddMonths(-DataQualityService.DefaultStaleMonths));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The lines of the customers the caller answers for: a rep's own, a supervisor's team's. Those who see every customer
        // (Admins, Analysts, the service desk) own few or none: their own, not the company's ~everything (the trend is theirs).
        var customers = RecordScope.SeesEveryone(currentUser) ? db.Customers.Where(c => c.OwnerId == currentUser.UserId) : db.Customers.VisibleTo(currentUser);
        var items =
            from i in db.CleaningItems.AsNoTracking()
            join c in customers on i.CustomerId equals c.Id
            where i.DoneAt == null || i.DoneAt >= monthStart
            select new { Item = i, Customer = c };
        var counts = await items.GroupBy(x => new { Open = x.Item.DoneAt == null, Carried = x.Item.OpenedMonth != month })
            .Select(g => new { g.Key.Open, g.Key.Carried, Count = g.Count() }).ToListAsync(cancellationToken);
        var rows = await items.OrderBy(x => x.Item.DoneAt != null).ThenBy(x => x.Item.OpenedMonth).ThenBy(x => x.Customer.NumberOrder).Take(Shown)
            .Select(x => new
            {
                x.Item.Id, CustomerId = x.Customer.Id, x.Customer.Number, x.Customer.Name, OwnerName = x.Customer.Owner!.DisplayName, x.Item.OpenedMonth,
                x.Customer.QualityProblems, Stale = x.Customer.UpdatedAt < staleBefore, x.Item.DoneAt, x.Item.DoneByName,
            })
            .ToListAsync(cancellationToken);
        var lines = rows.Select(r => new CleaningLine(r.Id, r.CustomerId, r.Number, r.Name, r.OwnerName, r.OpenedMonth,
            IssuesOf(r.QualityProblems ?? QualityProblems.None, r.Stale), r.DoneAt, r.DoneByName)).ToList();
        return new CleaningChecklistView(lines, counts.Where(c => c.Open).Sum(c => c.Count), counts.Where(c => !c.Open).Sum(c => c.Count),
            counts.Where(c => c.Open && c.Carried).Sum(c => c.Count));
    }

    /// <summary>The customer's owner (or a Supervisor or Admin over it) says its record was cleaned.</summary>
    public async Task TickOffAsync(Guid itemId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.CleaningItems.SingleOrDefaultAsync(i => i.Id == itemId, cancellationToken) ?? throw new NotFoundException(nameof(CleaningItem), itemId);
        if (!await db.Customers.VisibleTo(currentUser).AnyAsync(c => c.Id == item.CustomerId, cancellationToken))
        {
            throw await RecordScope.RefusalAsync(db.Customers, item.CustomerId, cancellationToken);
        }
        if (item.DoneAt is null)
        {
            item.DoneAt = clock.UtcNow;
            item.DoneByName = currentUser.DisplayName;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public static IReadOnlyList<QualityIssue> IssuesOf(QualityProblems problems, bool stale) =>
        CustomerQuality.Flags.Where(f => problems.HasFlag(f.Value)).Select(f => f.Key).Concat(stale ? [QualityIssue.Stale] : []).ToList();

    /// <summary>
    /// Opens <paramref name="month"/>'s lines: one for each customer with a problem (or stale) that has no open line yet, so
    /// a line not ticked off last month is carried over, not repeated. Five thousand customers a query, written in bulk.
    /// </summary>
    internal static async Task<int> OpenAsync(CrmDbContext db, string month, DateTime staleBefore, CancellationToken cancellationToken)
    {
        var opened = 0;
        var after = Guid.Empty;
        while (true)
        {
            var from = after;
            var batch = await db.Customers.AsNoTracking()
                .Where(c => c.Id.CompareTo(from) > 0)
                .Where(c => (c.QualityProblems != null && c.QualityProblems != QualityProblems.None) || c.UpdatedAt < staleBefore)
                .Where(c => !db.CleaningItems.Any(i => i.CustomerId == c.Id && i.DoneAt == null))
                .OrderBy(c => c.Id).Take(5000)
                .Select(c => new CleaningItem
                {
                    CustomerId = c.Id, OwnerId = c.OwnerId, OpenedMonth = month,
                    Problems = c.QualityProblems ?? QualityProblems.None, WasStale = c.UpdatedAt < staleBefore,
                })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return opened;
            }
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                await BulkInsert.AddAsync(db, batch, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            opened += batch.Count;
            after = batch[^1].CustomerId;
        }
    }
}
