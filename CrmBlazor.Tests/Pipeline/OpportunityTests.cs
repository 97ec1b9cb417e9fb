using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>SPEC F2 and the pipeline half of A4 through the Domain services, on real databases.</summary>
public sealed class OpportunityTests
{
    /// <summary>600,000 yuan: above the default Pipeline:ApprovalAmount of 500,000.</summary>
    private const long Large = 60_000_000;

    /// <summary>100,000 yuan: below it.</summary>
    private const long Small = 10_000_000;

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2030, 3, 4, 2, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Above_the_amount_a_move_past_negotiation_waits_and_the_approval_carries_it_out_once_and_tells_the_rep(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4, time: new FakeTimeProvider(Clock.GetUtcNow()));
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var heard = new List<OpportunityChanged>();
        using var subscription = harness.LiveEvents.Subscribe<OpportunityChanged>(e => { lock (heard) { heard.Add(e); } return Task.CompletedTask; });
        var opportunity = await CreateAsync(harness, rep, Large);
        Assert.Matches(@"^OP2030\d{4}$", opportunity.Number);
        var service = harness.Get<OpportunityService>(rep);
        Assert.Equal(MoveOutcome.Moved, await service.MoveAsync(opportunity.Id, opportunity.Version, OpportunityStage.Negotiation));

        var outcome = await service.MoveAsync(opportunity.Id, await VersionAsync(harness, opportunity.Id), OpportunityStage.Contract);

        Assert.Equal(MoveOutcome.AwaitingApproval, outcome);
        var waiting = await LoadAsync(harness, opportunity.Id);
        Assert.Equal(OpportunityStage.Negotiation, waiting.Stage);
        Assert.Equal(OpportunityStage.Contract, waiting.PendingStage);
        var card = Assert.Single((await harness.Get<OpportunityQueries>(rep).BoardAsync(new PipelineFilter())).Cards, c => c.Id == opportunity.Id);
        Assert.True(card.AwaitingApproval);
        // While it waits, the rep cannot move it on another way.
        await Assert.ThrowsAsync<ValidationFailedException>(() => service.MoveAsync(opportunity.Id, waiting.Version, OpportunityStage.Delivery));

        var request = Assert.Single(await harness.Get<ApprovalService>(supervisor).PendingAsync());
        Assert.Equal(ApprovalKinds.OpportunityMove, request.Kind);
        Assert.Equal([opportunity.Number, opportunity.AmountFen.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(OpportunityStage.Contract)], request.Summary.Facts);
        Assert.Equal([opportunity.CustomerId], request.Customers.Select(c => c.Id));
        await harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version, approve: true, comment: null);

        var moved = await LoadAsync(harness, opportunity.Id);
        Assert.Equal(OpportunityStage.Contract, moved.Stage);
        Assert.Null(moved.PendingApprovalId);
        Assert.Null(moved.PendingStage);
        // Once: a second decision on the same request is refused and adds no second move.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version + 1, true, null));
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal([OpportunityStage.InitialContact, OpportunityStage.Negotiation, OpportunityStage.Contract],
                await db.OpportunityStageChanges.Where(c => c.OpportunityId == opportunity.Id).OrderBy(c => c.At).ThenBy(c => c.Id).Select(c => c.ToStage).ToListAsync());
            Assert.Equal(ApprovalStatus.Completed, (await db.ApprovalRequests.SingleAsync(a => a.Id == request.Id)).Status);
            Assert.True(await db.Notifications.AnyAsync(n => n.UserId == rep.UserId && n.Kind == NotificationKinds.ApprovalApproved));
        }
        // Told live to the rep's boards: the waiting card, then the move.
        lock (heard)
        {
            Assert.Contains(heard, e => e.OpportunityId == opportunity.Id && e.Stage == nameof(OpportunityStage.Contract)
                && e.Version == moved.Version && e.Audience.Contains(Audience.ForUser(rep.UserId!.Value)));
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_rejection_leaves_the_stage_with_the_reason_and_below_the_amount_a_move_goes_at_once(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4, time: new FakeTimeProvider(Clock.GetUtcNow()));
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var service = harness.Get<OpportunityService>(rep);
        var large = await CreateAsync(harness, rep, Large);
        Assert.Equal(MoveOutcome.AwaitingApproval, await service.WinAsync(large.Id, large.Version));
        var request = Assert.Single(await harness.Get<ApprovalService>(supervisor).PendingAsync());

        await harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version, approve: false, comment: "折扣过大，请重新报价");

        var rejected = await LoadAsync(harness, large.Id);
        Assert.Equal(OpportunityStage.InitialContact, rejected.Stage);
        Assert.Null(rejected.PendingStage);
        Assert.Equal("折扣过大，请重新报价", rejected.RejectionReason);
        var card = Assert.Single((await harness.Get<OpportunityQueries>(rep).BoardAsync(new PipelineFilter())).Cards, c => c.Id == large.Id);
        Assert.Equal("折扣过大，请重新报价", card.RejectionReason);
        Assert.False(card.AwaitingApproval);
        await using (var db = harness.NewSystemContext())
        {
            Assert.True(await db.Notifications.AnyAsync(n => n.UserId == rep.UserId && n.Kind == NotificationKinds.ApprovalRejected));
            Assert.Equal(1, await db.OpportunityStageChanges.CountAsync(c => c.OpportunityId == large.Id));
        }

        var small = await CreateAsync(harness, rep, Small);
        Assert.Equal(MoveOutcome.Moved, await service.MoveAsync(small.Id, small.Version, OpportunityStage.Contract));
        Assert.Equal(OpportunityStage.Contract, (await LoadAsync(harness, small.Id)).Stage);
        Assert.Empty(await harness.Get<ApprovalService>(supervisor).PendingAsync());
        // Exactly at the amount is not above it.
        var atLimit = await CreateAsync(harness, rep, 50_000_000);
        Assert.Equal(MoveOutcome.Moved, await service.WinAsync(atLimit.Id, atLimit.Version));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_move_from_a_stale_card_is_a_conflict_and_changes_nothing(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var opportunity = await CreateAsync(harness, rep, Small);

        await harness.Get<OpportunityService>(supervisor).MoveAsync(opportunity.Id, opportunity.Version, OpportunityStage.Proposal);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => harness.Get<OpportunityService>(rep).MoveAsync(opportunity.Id, opportunity.Version, OpportunityStage.NeedsAnalysis));

        Assert.Equal(OpportunityStage.Proposal, (await LoadAsync(harness, opportunity.Id)).Stage);
    }

    [Fact]
    public async Task A_rep_neither_sees_nor_moves_nor_creates_on_another_reps_customer_and_only_supervisors_reassign()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var opportunity = await CreateAsync(harness, rep, Small);

        Assert.DoesNotContain((await harness.Get<OpportunityQueries>(other).BoardAsync(new PipelineFilter())).Cards, c => c.Id == opportunity.Id);
        Assert.Contains((await harness.Get<OpportunityQueries>(supervisor).BoardAsync(new PipelineFilter())).Cards, c => c.Id == opportunity.Id);
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<OpportunityService>(other).MoveAsync(opportunity.Id, opportunity.Version, OpportunityStage.Proposal));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Get<OpportunityQueries>(other).HistoryAsync(opportunity.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<OpportunityService>(other).CreateAsync(
            new OpportunityInput(opportunity.CustomerId, "不是我的客户", Small, new DateOnly(2030, 6, 30), null)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<OpportunityService>(rep).ReassignAsync(opportunity.Id, opportunity.Version, other.UserId!.Value));
        Assert.Equal(OpportunityStage.InitialContact, (await LoadAsync(harness, opportunity.Id)).Stage);

        // The supervisor gives the rep's deal on the rep's customer only to someone who may see that customer.
        await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<OpportunityService>(supervisor).ReassignAsync(opportunity.Id, opportunity.Version, other.UserId!.Value));
        await harness.Get<OpportunityService>(supervisor).ReassignAsync(opportunity.Id, opportunity.Version, supervisor.UserId!.Value);
        Assert.Equal(supervisor.UserId, (await LoadAsync(harness, opportunity.Id)).OwnerId);
        await using var db = harness.NewSystemContext();
        Assert.False(await db.Notifications.AnyAsync(n => n.Kind == NotificationKinds.OpportunityAssigned && n.UserId == other.UserId));
    }

    [Fact]
    public async Task Column_totals_weigh_amounts_by_the_probability_admin_sets_and_history_gives_the_time_in_each_stage()
    {
        var clock = new FakeTimeProvider(Clock.GetUtcNow());
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        var service = harness.Get<OpportunityService>(rep);
        await CreateAsync(harness, rep, 10_000);          // ¥100.00
        await CreateAsync(harness, rep, 20_001);          // ¥200.01
        var proposal = await CreateAsync(harness, rep, 100_000);
        var lost = await CreateAsync(harness, rep, 55_555);
        clock.Advance(TimeSpan.FromDays(3));
        await service.MoveAsync(proposal.Id, proposal.Version, OpportunityStage.Proposal);
        await Assert.ThrowsAsync<ValidationFailedException>(() => service.LoseAsync(lost.Id, lost.Version, null));
        await Assert.ThrowsAsync<ValidationFailedException>(() => service.MoveAsync(lost.Id, lost.Version, OpportunityStage.Lost));
        await service.LoseAsync(lost.Id, lost.Version, "price");
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.SetProbabilityAsync(OpportunityStage.Proposal, 50));
        await harness.Get<OpportunityService>(admin).SetProbabilityAsync(OpportunityStage.Proposal, 50);
        await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<OpportunityService>(admin).SetProbabilityAsync(OpportunityStage.Proposal, 101));

        var board = await harness.Get<OpportunityQueries>(rep).BoardAsync(new PipelineFilter());

        var initial = board.Totals.Single(t => t.Stage == OpportunityStage.InitialContact);
        Assert.Equal((2, 30_001L, 10, 3_000L), (initial.Count, initial.AmountFen, initial.Percent, initial.WeightedFen)); // 10 % of ¥300.01 = ¥30.0010
        var atProposal = board.Totals.Single(t => t.Stage == OpportunityStage.Proposal);
        Assert.Equal((1, 100_000L, 50, 50_000L), (atProposal.Count, atProposal.AmountFen, atProposal.Percent, atProposal.WeightedFen));
        var lostTotal = board.Totals.Single(t => t.Stage == OpportunityStage.Lost);
        Assert.Equal((1, 55_555L, 0L), (lostTotal.Count, lostTotal.AmountFen, lostTotal.WeightedFen));
        Assert.Equal(53_000L, board.WeightedFen);
        Assert.Equal("price", board.Cards.Single(c => c.Id == lost.Id).LostReason);
        var filtered = await harness.Get<OpportunityQueries>(rep).BoardAsync(new PipelineFilter { MinAmountFen = 20_000, MaxAmountFen = 60_000 });
        Assert.Equal([20_001L, 55_555L], filtered.Cards.Select(c => c.AmountFen).Order());
        Assert.Equal(1, filtered.Totals.Single(t => t.Stage == OpportunityStage.InitialContact).Count);

        clock.Advance(TimeSpan.FromHours(5));
        var history = await harness.Get<OpportunityQueries>(rep).HistoryAsync(proposal.Id);
        Assert.Equal([(OpportunityStage.InitialContact, TimeSpan.FromDays(3)), (OpportunityStage.Proposal, TimeSpan.FromHours(5))],
            history.Select(s => (s.Stage, s.Duration)));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_board_filters_by_the_owners_team_and_by_the_customers_tier_and_the_totals_follow(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var mine = await CreateAsync(harness, rep, Small);
        var theirs = await CreateAsync(harness, other, Large);
        Guid team;
        await using (var db = harness.NewSystemContext())
        {
            // A second team with only the first rep in it; the first rep's customer is an S, the colleague's a B.
            var east = new Team { Name = "华东大客户组" };
            db.Teams.Add(east);
            db.TeamMemberships.Add(new TeamMembership { TeamId = east.Id, UserId = rep.UserId!.Value, Source = MembershipSource.Manual });
            await db.SaveChangesAsync();
            team = east.Id;
            await db.Customers.Where(c => c.Id == mine.CustomerId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Tier, "S"));
            await db.Customers.Where(c => c.Id == theirs.CustomerId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Tier, "B"));
        }
        var queries = harness.Get<OpportunityQueries>(supervisor);
        Assert.Contains(await queries.TeamsAsync(), t => t.Id == team && t.Name == "华东大客户组");
        var everything = await queries.BoardAsync(new PipelineFilter());
        Assert.Contains(everything.Cards, c => c.Id == mine.Id);
        Assert.Contains(everything.Cards, c => c.Id == theirs.Id);

        var byTeam = await queries.BoardAsync(new PipelineFilter { TeamId = team });
        Assert.Equal([mine.Id], byTeam.Cards.Select(c => c.Id));
        Assert.Equal((1, Small), (byTeam.Totals.Sum(t => t.Count), byTeam.Totals.Sum(t => t.AmountFen)));

        var keyCustomers = await queries.BoardAsync(new PipelineFilter { Tiers = ["S", "A"] });
        Assert.Equal([mine.Id], keyCustomers.Cards.Select(c => c.Id));
        var lower = await queries.BoardAsync(new PipelineFilter { Tiers = ["B", "C"] });
        Assert.Equal([theirs.Id], lower.Cards.Select(c => c.Id));
        Assert.Equal(Large, lower.Totals.Sum(t => t.AmountFen));
        Assert.Empty((await queries.BoardAsync(new PipelineFilter { TeamId = team, Tiers = ["B"] })).Cards);
    }

    private static async Task<Opportunity> CreateAsync(DomainHarness harness, TestUser rep, long amountFen) =>
        await harness.Get<OpportunityService>(rep).CreateAsync(
            new OpportunityInput(await DemandTests.CustomerOfAsync(harness, rep), "ERP 升级项目", amountFen, new DateOnly(2030, 6, 30), null));

    private static async Task<Opportunity> LoadAsync(DomainHarness harness, Guid id)
    {
        await using var db = harness.NewSystemContext();
        return await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    private static async Task<int> VersionAsync(DomainHarness harness, Guid id) => (await LoadAsync(harness, id)).Version;
}
