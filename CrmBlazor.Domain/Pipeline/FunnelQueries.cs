using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// The sales funnel (SPEC F4, E4) over a range of instants, within the reader's record scope (that of the customers, as
/// the board). Set-based: a handful of grouped queries whose results have one row per owner and stage; reps and teams are
/// summed from those in memory. The cohort is the opportunities created in the range (<see cref="FunnelRow"/> says how
/// each figure is read).
/// </summary>
public sealed class FunnelQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public async Task<FunnelView> LoadAsync(DateTime since, DateTime until, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Opportunities.VisibleTo(db, currentUser);
        var cohort = visible.Where(o => o.CreatedAt >= since && o.CreatedAt < until);
        var probabilities = await OpportunityService.LoadProbabilitiesAsync(db, cancellationToken);

        var standing = await cohort.GroupBy(o => new { o.OwnerId, o.Stage })
            .Select(g => new { g.Key.OwnerId, g.Key.Stage, Count = g.Count(), Amount = g.Sum(o => o.AmountFen) }).ToListAsync(cancellationToken);

        // How far each opportunity got by its history, then how many got that far per owner. Grouped by (CreatedAt, Id), the
        // opportunity as the funnel's index orders the cohort, so the changes arrive grouped and need no sort (as FunnelSpans).
        var furthest =
            from o in cohort
            join change in db.OpportunityStageChanges on o.Id equals change.OpportunityId
            group change by new { o.CreatedAt, o.Id, o.OwnerId } into g
            select new
            {
                g.Key.OwnerId,
                Rank = g.Max(c => c.ToStage == OpportunityStage.Won ? 6
                    : c.ToStage == OpportunityStage.Delivery ? 5
                    : c.ToStage == OpportunityStage.Contract ? 4
                    : c.ToStage == OpportunityStage.Negotiation ? 3
                    : c.ToStage == OpportunityStage.Proposal ? 2
                    : c.ToStage == OpportunityStage.NeedsAnalysis ? 1
                    : c.ToStage == OpportunityStage.InitialContact ? 0 : -1),
            };
        var reached = await furthest.GroupBy(f => new { f.OwnerId, f.Rank })
            .Select(g => new { g.Key.OwnerId, g.Key.Rank, Count = g.Count() }).ToListAsync(cancellationToken);

        // The spans queries hold the range's cohort already; only a scoped reader needs them narrowed to their customers'.
        IQueryable<FunnelSpan> InScope(IQueryable<FunnelSpan> spans) =>
            RecordScope.SeesEveryone(currentUser) ? spans : spans.Where(s => cohort.Any(o => o.Id == s.OpportunityId));
        var spans = await InScope(FunnelSpans.Query(db, since, until))
            .GroupBy(s => new { s.OwnerId, s.Stage, Won = s.OpportunityStage == nameof(OpportunityStage.Won) })
            .Select(g => new { g.Key.OwnerId, g.Key.Stage, g.Key.Won, Days = g.Sum(s => s.Days), Count = g.Count() })
            .ToListAsync(cancellationToken);

        var fromLeads = await InScope(FunnelSpans.LeadToWon(db, since, until)).GroupBy(s => s.OwnerId)
            .Select(g => new { OwnerId = g.Key, Days = g.Sum(s => s.Days), Count = g.Count() })
            .ToListAsync(cancellationToken);

        var closed = await visible.Where(o => o.ClosedAt >= since && o.ClosedAt < until)
            .GroupBy(o => new { o.OwnerId, o.Stage }).Select(g => new { g.Key.OwnerId, g.Key.Stage, Count = g.Count() }).ToListAsync(cancellationToken);

        var tallies = new Dictionary<Guid, FunnelTally>();
        FunnelTally Of(Guid owner) => tallies.TryGetValue(owner, out var t) ? t : tallies[owner] = new FunnelTally();
        foreach (var s in standing)
        {
            Of(s.OwnerId).Stand(s.Stage, s.Count, s.Amount);
        }
        foreach (var r in reached)
        {
            Of(r.OwnerId).Reach(r.Rank, r.Count);
        }
        foreach (var s in spans)
        {
            Of(s.OwnerId).Span(Enum.Parse<OpportunityStage>(s.Stage), s.Won, s.Days, s.Count);
        }
        foreach (var l in fromLeads)
        {
            Of(l.OwnerId).FromLead(l.Days, l.Count);
        }
        foreach (var c in closed)
        {
            Of(c.OwnerId).Close(c.Stage, c.Count);
        }

        var owners = tallies.Keys.ToList();
        var names = await db.Users.Where(u => owners.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var memberships = await db.TeamMemberships.Where(m => owners.Contains(m.UserId))
            .Select(m => new { m.TeamId, TeamName = m.Team!.Name, m.UserId }).ToListAsync(cancellationToken);

        var reps = tallies.Select(t => t.Value.Row(t.Key, names.GetValueOrDefault(t.Key, ""), probabilities))
            .OrderByDescending(r => r.AmountFen).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var teams = memberships.GroupBy(m => (m.TeamId, m.TeamName))
            .Select(g => FunnelTally.Sum(g.Select(m => tallies[m.UserId])).Row(g.Key.TeamId, g.Key.TeamName, probabilities))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var total = FunnelTally.Sum(tallies.Values).Row(null, "", probabilities);
        return new FunnelView(since, until, total, reps, teams);
    }
}

/// <summary>One owner's (or a sum of owners') raw funnel counts, as the queries return them.</summary>
internal sealed class FunnelTally
{
    private const int WonRank = 6;
    private static readonly OpportunityStage[] Stages = Enum.GetValues<OpportunityStage>();

    private readonly int[] _reachedFurthest = new int[WonRank + 1];
    private readonly Dictionary<OpportunityStage, (int Count, long Amount)> _standing = [];
    private readonly Dictionary<OpportunityStage, (double Days, int Count)> _spans = [];
    private double _daysToWin;
    private double _leadToWonDays;
    private int _leadToWon;
    private int _closedWon, _closedLost;

    public void Stand(OpportunityStage stage, int count, long amount)
    {
        var (c, a) = _standing.GetValueOrDefault(stage);
        _standing[stage] = (c + count, a + amount);
    }

    public void Reach(int rank, int count)
    {
        if (rank >= 0)
        {
            _reachedFurthest[rank] += count;
        }
    }

    public void Span(OpportunityStage stage, bool won, double days, int count)
    {
        var (d, c) = _spans.GetValueOrDefault(stage);
        _spans[stage] = (d + days, c + count);
        if (won)
        {
            _daysToWin += days;
        }
    }

    public void FromLead(double days, int count)
    {
        _leadToWonDays += days;
        _leadToWon += count;
    }

    public void Close(OpportunityStage stage, int count)
    {
        if (stage == OpportunityStage.Won)
        {
            _closedWon += count;
        }
        else if (stage == OpportunityStage.Lost)
        {
            _closedLost += count;
        }
    }

    public static FunnelTally Sum(IEnumerable<FunnelTally> tallies)
    {
        var sum = new FunnelTally();
        foreach (var t in tallies)
        {
            for (var rank = 0; rank <= WonRank; rank++)
            {
                sum._reachedFurthest[rank] += t._reachedFurthest[rank];
            }
            foreach (var (stage, (count, amount)) in t._standing)
            {
                sum.Stand(stage, count, amount);
            }
            foreach (var (stage, (days, count)) in t._spans)
            {
                var (d, c) = sum._spans.GetValueOrDefault(stage);
                sum._spans[stage] = (d + days, c + count);
            }
            sum._daysToWin += t._daysToWin;
            sum._leadToWonDays += t._leadToWonDays;
            sum._leadToWon += t._leadToWon;
            sum._closedWon += t._closedWon;
            sum._closedLost += t._closedLost;
        }
        return sum;
    }

    public FunnelRow Row(Guid? id, string name, IReadOnlyDictionary<OpportunityStage, int> probabilities) =>
        new(id, name, Stages.Select(stage =>
        {
            var (count, amount) = _standing.GetValueOrDefault(stage);
            var (days, spans) = _spans.GetValueOrDefault(stage);
            return new FunnelStage(stage, Reached(stage, count), count, amount, probabilities[stage], days, spans);
        }).ToList(), _closedWon, _closedLost, _daysToWin, _leadToWonDays, _leadToWon);

    private int Reached(OpportunityStage stage, int standingCount) => stage switch
    {
        OpportunityStage.Lost => standingCount,
        OpportunityStage.Won => _reachedFurthest[WonRank],
        _ => _reachedFurthest.Skip(StageProbabilities.Open.ToList().IndexOf(stage)).Sum(),
    };
}
