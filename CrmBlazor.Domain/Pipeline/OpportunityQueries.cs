using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>What the pipeline board filters by (SPEC F2); every part optional. Amounts in fen.</summary>
public sealed record PipelineFilter
{
    public Guid? OwnerId { get; init; }
    public long? MinAmountFen { get; init; }
    public long? MaxAmountFen { get; init; }

    /// <summary>Only opportunities expected to close on or before this day.</summary>
    public DateOnly? CloseBy { get; init; }

    /// <summary>Only opportunities owned by a member of this team.</summary>
    public Guid? TeamId { get; init; }

    /// <summary>Only opportunities of customers in these tiers (S / A / B / C); empty: any tier, or none.</summary>
    public IReadOnlyList<string> Tiers { get; init; } = [];
}

public sealed record OpportunityCard(
    Guid Id, int Version, string Number, string Name, Guid CustomerId, string CustomerName, long AmountFen, Guid OwnerId, string OwnerName,
    DateOnly ExpectedCloseOn, OpportunityStage Stage, DateTime StageEnteredAt, OpportunityStage? PendingStage, string? RejectionReason, string? LostReason)
{
    public bool AwaitingApproval => PendingStage is not null;

    public bool IsClosed => Stage is OpportunityStage.Won or OpportunityStage.Lost;
}

/// <summary>A board column's header: how many, how much, how much weighted by the stage's probability.</summary>
public sealed record StageTotal(OpportunityStage Stage, int Count, long AmountFen, int Percent)
{
    public long WeightedFen => StageProbabilities.Weighted(AmountFen, Percent);
}

/// <summary>The board: its cards (at most <see cref="OpportunityQueries.MaxCards"/>) and every column's totals over all that match.</summary>
public sealed record PipelineBoardView(IReadOnlyList<OpportunityCard> Cards, IReadOnlyList<StageTotal> Totals)
{
    public long WeightedFen => Totals.Sum(t => t.WeightedFen);
}

/// <summary>One stage an opportunity went through and how long it stayed (to now, for the current one).</summary>
public sealed record StageSpan(OpportunityStage Stage, DateTime EnteredAt, TimeSpan Duration, string? ByName);

/// <summary>The opportunity page: the card's facts, the stage's probability (for the weighted amount) and the stage history.</summary>
public sealed record OpportunityDetail(OpportunityCard Card, int Percent, IReadOnlyList<StageSpan> History)
{
    public long WeightedFen => StageProbabilities.Weighted(Card.AmountFen, Percent);
}

/// <summary>Reads opportunities within the caller's record scope (that of their customers, SPEC A3).</summary>
public sealed class OpportunityQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, TimeProvider time, CompanyClock clock)
{
    public const int MaxCards = 500;

    /// <summary>Won and lost deals stay on the board this long after closing.</summary>
    public static readonly TimeSpan ClosedVisibleFor = TimeSpan.FromDays(30);

    /// <summary>Stands in for an open deal's missing close in the board's filter (after any real close).</summary>
    private static readonly DateTime StillOpen = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    public async Task<PipelineBoardView> BoardAsync(PipelineFilter filter, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var closedSince = time.GetUtcNow().UtcDateTime - ClosedVisibleFor;
        // Open, or closed lately, written so that no database seeks it by ClosedAt: its statistics count the many open
        // deals' NULL as rare, and SQLite then walked the ClosedAt index across every deal instead of the rep's customers'.
        var opportunities = Visible(db).Where(o => (o.ClosedAt ?? StillOpen) >= closedSince);
        if (filter.OwnerId is { } owner)
        {
            opportunities = opportunities.Where(o => o.OwnerId == owner);
        }
        if (filter.MinAmountFen is { } min)
        {
            opportunities = opportunities.Where(o => o.AmountFen >= min);
        }
        if (filter.MaxAmountFen is { } max)
        {
            opportunities = opportunities.Where(o => o.AmountFen <= max);
        }
        if (filter.CloseBy is { } closeBy)
        {
            opportunities = opportunities.Where(o => o.ExpectedCloseOn <= closeBy);
        }
        if (filter.TeamId is { } team)
        {
            opportunities = opportunities.Where(o => db.TeamMemberships.Any(m => m.TeamId == team && m.UserId == o.OwnerId));
        }
        if (filter.Tiers.Count > 0)
        {
            var tiers = filter.Tiers.ToList();
            opportunities = opportunities.Where(o => db.Customers.Any(c => c.Id == o.CustomerId && tiers.Contains(c.Tier!)));
        }
        var probabilities = await OpportunityService.LoadProbabilitiesAsync(db, cancellationToken);
        var sums = await opportunities.GroupBy(o => o.Stage)
            .Select(g => new { Stage = g.Key, Count = g.Count(), Amount = g.Sum(o => o.AmountFen) }).ToListAsync(cancellationToken);
        var totals = Enum.GetValues<OpportunityStage>()
            .Select(s => sums.SingleOrDefault(x => x.Stage == s) is { } sum ? new StageTotal(s, sum.Count, sum.Amount, probabilities[s]) : new StageTotal(s, 0, 0, probabilities[s]))
            .ToList();
        // The cards: first which (ids in board order, from the customer index alone for a rep), then those few with their
        // customer's and owner's names, rather than joining every match to its names only to keep 500 of them.
        var ids = await opportunities.OrderBy(o => o.ExpectedCloseOn).ThenBy(o => o.Number).Select(o => o.Id).Take(MaxCards).ToListAsync(cancellationToken);
        var cards = await CardsOf(db, db.Opportunities.Where(o => ids.Contains(o.Id))).ToListAsync(cancellationToken);
        return new PipelineBoardView(cards, totals);
    }

    /// <summary>The teams the board's team filter offers (names only: every user may filter by any team).</summary>
    public async Task<IReadOnlyList<TeamOption>> TeamsAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(cancellationToken);
    }

    /// <summary>One opportunity with its stage history, if the caller may see its customer.</summary>
    public async Task<OpportunityDetail> DetailAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var card = await CardsOf(db, Visible(db).Where(o => o.Id == id)).SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(nameof(Opportunity), id);
        var closedAt = await db.Opportunities.Where(o => o.Id == id).Select(o => o.ClosedAt).SingleAsync(cancellationToken);
        var changes = await db.OpportunityStageChanges.AsNoTracking().Where(c => c.OpportunityId == id).ToListAsync(cancellationToken);
        var probabilities = await OpportunityService.LoadProbabilitiesAsync(db, cancellationToken);
        return new OpportunityDetail(card, probabilities[card.Stage], Spans(changes, closedAt ?? time.GetUtcNow().UtcDateTime));
    }

    /// <summary>A customer's opportunities, open and closed, for the 360 page's tab: the next to close first, then the closed ones.</summary>
    public async Task<IReadOnlyList<OpportunityCard>> ForCustomerAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, customerId, cancellationToken);
        var cards = await CardsOf(db, db.Opportunities.Where(o => o.CustomerId == customer.Id)).Take(MaxCards).ToListAsync(cancellationToken);
        return [.. cards.OrderBy(c => c.IsClosed)];
    }

    /// <summary>
    /// My work: the caller's open opportunities expected to close in this company month (<see cref="CompanyClock"/>), overdue
    /// ones of the month included, soonest first.
    /// </summary>
    public async Task<IReadOnlyList<OpportunityCard>> MyClosingThisMonthAsync(int take = 10, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        if (currentUser.UserId is not { } me)
        {
            return [];
        }
        var today = clock.Today;
        var first = new DateOnly(today.Year, today.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = Visible(db).Where(o => o.OwnerId == me && o.ClosedAt == null && o.ExpectedCloseOn >= first && o.ExpectedCloseOn <= last);
        return await CardsOf(db, mine).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>The stages an opportunity went through, oldest first, with the time spent in each.</summary>
    public async Task<IReadOnlyList<StageSpan>> HistoryAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var opportunity = await Visible(db).AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(Opportunity), id);
        var changes = await db.OpportunityStageChanges.AsNoTracking().Where(c => c.OpportunityId == opportunity.Id).ToListAsync(cancellationToken);
        return Spans(changes, opportunity.ClosedAt ?? time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Consecutive changes give the time in each stage; the last runs to <paramref name="until"/>.</summary>
    public static IReadOnlyList<StageSpan> Spans(IEnumerable<OpportunityStageChange> changes, DateTime until)
    {
        var ordered = changes.OrderBy(c => c.At).ThenBy(c => c.Id).ToList();
        return ordered.Select((c, i) => new StageSpan(c.ToStage, c.At, (i + 1 < ordered.Count ? ordered[i + 1].At : until) - c.At, c.ByName)).ToList();
    }

    /// <summary>Cards of <paramref name="opportunities"/> with their customer's and owner's names, the next to close first.</summary>
    private static IQueryable<OpportunityCard> CardsOf(CrmDbContext db, IQueryable<Opportunity> opportunities) =>
        from o in opportunities
        join c in db.Customers on o.CustomerId equals c.Id
        join u in db.Users on o.OwnerId equals u.Id
        orderby o.ExpectedCloseOn, o.Number
        select new OpportunityCard(o.Id, o.Version, o.Number, o.Name, c.Id, c.Name, o.AmountFen, u.Id, u.DisplayName, o.ExpectedCloseOn,
            o.Stage, o.StageEnteredAt, o.PendingStage, o.RejectionReason, o.LostReason);

    private IQueryable<Opportunity> Visible(CrmDbContext db) => db.Opportunities.VisibleTo(db, currentUser);
}
