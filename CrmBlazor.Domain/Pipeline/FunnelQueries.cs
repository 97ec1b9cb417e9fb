using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// The sales funnel (SPEC F4, E4) over a range of instants, within the reader's record scope (that of the customers, as
/// the board). Set-based: two grouped queries (the cohort, the closings) whose results have a row per owner and stage;
/// reps and teams are summed from those in memory. The cohort is the opportunities created in the range (<see cref="FunnelRow"/> says how
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

        // One grouping over the cohort: what each opportunity keeps of its history (Opportunity.Enter) summed per owner,
        // current stage and furthest stage; the reads of the stage history it replaced took seconds over a year.
        var groups = await cohort.GroupBy(o => new { o.OwnerId, o.Stage, o.FurthestStage })
            .Select(g => new
            {
                g.Key.OwnerId,
                g.Key.Stage,
                g.Key.FurthestStage,
                Count = g.Count(),
                Amount = g.Sum(o => o.AmountFen),
                InitialContact = g.Sum(o => o.InitialContactDays),
                InitialContacts = g.Count(o => o.InitialContactDays != null),
                NeedsAnalysis = g.Sum(o => o.NeedsAnalysisDays),
                NeedsAnalyses = g.Count(o => o.NeedsAnalysisDays != null),
                Proposal = g.Sum(o => o.ProposalDays),
                Proposals = g.Count(o => o.ProposalDays != null),
                Negotiation = g.Sum(o => o.NegotiationDays),
                Negotiations = g.Count(o => o.NegotiationDays != null),
                Contract = g.Sum(o => o.ContractDays),
                Contracts = g.Count(o => o.ContractDays != null),
                Delivery = g.Sum(o => o.DeliveryDays),
                Deliveries = g.Count(o => o.DeliveryDays != null),
                FromLeads = g.Sum(o => o.DaysFromLeadToWon),
                WonFromLeads = g.Count(o => o.DaysFromLeadToWon != null),
            }).ToListAsync(cancellationToken);

        var closed = await visible.Where(o => o.ClosedAt >= since && o.ClosedAt < until)
            .GroupBy(o => new { o.OwnerId, o.Stage }).Select(g => new { g.Key.OwnerId, g.Key.Stage, Count = g.Count() }).ToListAsync(cancellationToken);

        var tallies = new Dictionary<Guid, FunnelTally>();
        FunnelTally Of(Guid owner) => tallies.TryGetValue(owner, out var t) ? t : tallies[owner] = new FunnelTally();
        foreach (var g in groups)
        {
            var tally = Of(g.OwnerId);
            tally.Stand(g.Stage, g.Count, g.Amount);
            tally.Reach(Opportunity.Rank(g.FurthestStage), g.Count);
            var won = g.Stage == OpportunityStage.Won;
            tally.Span(OpportunityStage.InitialContact, won, g.InitialContact ?? 0, g.InitialContacts);
            tally.Span(OpportunityStage.NeedsAnalysis, won, g.NeedsAnalysis ?? 0, g.NeedsAnalyses);
            tally.Span(OpportunityStage.Proposal, won, g.Proposal ?? 0, g.Proposals);
            tally.Span(OpportunityStage.Negotiation, won, g.Negotiation ?? 0, g.Negotiations);
            tally.Span(OpportunityStage.Contract, won, g.Contract ?? 0, g.Contracts);
            tally.Span(OpportunityStage.Delivery, won, g.Delivery ?? 0, g.Deliveries);
            tally.FromLead(g.FromLeads ?? 0, g.WonFromLeads);
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
