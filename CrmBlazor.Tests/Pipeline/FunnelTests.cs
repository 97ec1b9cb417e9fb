using System.Globalization;
using System.Net;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>
/// SPEC F4 on a fixture with known counts (hand-computed below), on real databases and through the workbook.
/// Created 4 March 2030 10:00 company time unless said (day n = 4 March + n days):
/// <code>
/// 张伟 (rep, team 华东):  a1 ¥1,000  contact → day 2 analysis → day 5 proposal (stays)
///                         a2 ¥2,000  contact → day 2 analysis → day 4 lost
///                         a3 ¥3,000  contact (stays)
/// 刘芳 (rep2, team 华东): b1 ¥4,000  contact → day 2 proposal (skips analysis) → day 5 won
///                         b2 ¥5,000  contact (stays)
///                         o0 ¥500    created 20 February, lost on day 0 (closed in March, not created in it)
/// 吴强 (team 华南):       c1 ¥10,000 contact → day 2 analysis → day 5 contract → day 6 won
/// </code>
/// b1 was converted from a lead of 20 February (17 days from lead to won), c1 from one of day −1 (7 days).
/// </summary>
public sealed class FunnelTests
{
    private static readonly DateTimeOffset February20 = new(2030, 2, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Day0 = new(2030, 3, 4, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_funnel_of_a_range_gives_the_hand_computed_figures_per_stage_rep_and_team_within_each_readers_scope(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(February20);
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6, time: clock);
        var fixture = await Fixture.BuildAsync(harness, clock);
        var (since, until) = harness.Get<CompanyClock>(fixture.Analyst).DaysUtc(new DateOnly(2030, 3, 1), new DateOnly(2030, 3, 31));

        var view = await harness.Get<FunnelQueries>(fixture.Analyst).LoadAsync(since, until);

        var total = view.Total;
        Assert.Equal(6, total.Opportunities);
        Assert.Equal(
            [(OpportunityStage.InitialContact, 6, 2, 800_000L, 80_000L), (OpportunityStage.NeedsAnalysis, 4, 0, 0L, 0L), (OpportunityStage.Proposal, 3, 1, 100_000L, 40_000L),
             (OpportunityStage.Negotiation, 2, 0, 0L, 0L), (OpportunityStage.Contract, 2, 0, 0L, 0L), (OpportunityStage.Delivery, 2, 0, 0L, 0L),
             (OpportunityStage.Won, 2, 2, 1_400_000L, 1_400_000L), (OpportunityStage.Lost, 1, 1, 200_000L, 0L)],
            total.Stages.Select(s => (s.Stage, s.Reached, s.Count, s.AmountFen, s.WeightedFen)));
        Assert.Equal(1_520_000L, total.WeightedFen);
        Assert.Equal([4m / 6, 3m / 4, 2m / 3, 1m, 1m, 1m], StageProbabilities.Open.Select(s => total.ConversionToNext(s)!.Value));
        Assert.Equal((2, 2, 0.5m), (total.ClosedWon, total.ClosedLost, total.WinRate));
        // Finished stays: contact 2 days ×4 (a1 a2 b1 c1); analysis 3 (a1), 2 (a2), 3 (c1); proposal 3 (b1); contract 1 (c1).
        AssertDays(2.0, total[OpportunityStage.InitialContact].AverageDays);
        AssertDays(8.0 / 3, total[OpportunityStage.NeedsAnalysis].AverageDays);
        AssertDays(3.0, total[OpportunityStage.Proposal].AverageDays);
        AssertDays(1.0, total[OpportunityStage.Contract].AverageDays);
        Assert.Null(total[OpportunityStage.Negotiation].AverageDays);
        AssertDays(5.5, total.AverageDaysToWin); // b1 5 days, c1 6
        AssertDays(12.0, total.AverageDaysLeadToWon); // b1 17 days from its lead, c1 7
        Assert.Equal(2, total.WonFromLeads);

        var zhang = view.Reps.Single(r => r.Name == "张伟");
        Assert.Equal((3, 2, 1, 0), (zhang.Opportunities, zhang[OpportunityStage.NeedsAnalysis].Reached, zhang[OpportunityStage.Proposal].Reached, zhang[OpportunityStage.Negotiation].Reached));
        Assert.Equal((2m / 3, 0.5m, 0m), (zhang.ConversionToNext(OpportunityStage.InitialContact), zhang.ConversionToNext(OpportunityStage.NeedsAnalysis), zhang.ConversionToNext(OpportunityStage.Proposal)));
        Assert.Equal((0, 1, 0m, 70_000L), (zhang.ClosedWon, zhang.ClosedLost, zhang.WinRate, zhang.WeightedFen));
        Assert.Null(zhang.ConversionToNext(OpportunityStage.Negotiation)); // nobody of his reached it
        var liu = view.Reps.Single(r => r.Name == "刘芳");
        Assert.Equal((2, 1, 1, 1, 0.5m), (liu.Opportunities, liu[OpportunityStage.NeedsAnalysis].Reached, liu[OpportunityStage.Won].Reached, liu.ClosedWon, liu.WinRate));
        AssertDays(5.0, liu.AverageDaysToWin);
        AssertDays(17.0, liu.AverageDaysLeadToWon);
        Assert.Null(zhang.AverageDaysLeadToWon);
        var wu = view.Reps.Single(r => r.Name == "吴强");
        Assert.Equal((1, 1, 1m), (wu.Opportunities, wu[OpportunityStage.Delivery].Reached, wu.WinRate));
        AssertDays(7.0, wu.AverageDaysLeadToWon);
        Assert.Equal(3, view.Reps.Count);

        var east = view.Teams.Single(t => t.Name == "华东销售一组");
        Assert.Equal((5, 3, 2, 1, 1, 2), (east.Opportunities, east[OpportunityStage.NeedsAnalysis].Reached, east[OpportunityStage.Proposal].Reached,
            east[OpportunityStage.Won].Reached, east.ClosedWon, east.ClosedLost));
        Assert.Equal(1m / 3, east.WinRate);
        var south = view.Teams.Single(t => t.Name == "华南团队");
        Assert.Equal((1, 1_000_000L), (south.Opportunities, south.AmountFen));

        // Record scope: the supervisor sees his team's customers, a rep his own.
        var team = await harness.Get<FunnelQueries>(fixture.Supervisor).LoadAsync(since, until);
        Assert.Equal((5, 1, 2), (team.Total.Opportunities, team.Total.ClosedWon, team.Total.ClosedLost));
        Assert.DoesNotContain(team.Reps, r => r.Name == "吴强");
        var own = await harness.Get<FunnelQueries>(fixture.Rep).LoadAsync(since, until);
        Assert.Equal(["张伟"], own.Reps.Select(r => r.Name));
        Assert.Equal((3, 600_000L), (own.Total.Opportunities, own.Total.AmountFen));
        // A range before any of them: only o0, which closed on 4 March.
        var february = await harness.Get<FunnelQueries>(fixture.Analyst).LoadAsync(since.AddDays(-28), since);
        Assert.Equal((1, 0, 0), (february.Total.Opportunities, february.Total.ClosedWon, february.Total.ClosedLost));
    }

    /// <summary>
    /// The migration that brought in what each opportunity keeps for the funnel (OpportunityFunnelFacts) computes it from
    /// the stage history for deals already there: down past it and up again, the figures are the hand-computed ones still.
    /// </summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_migration_computes_the_funnel_facts_of_existing_deals_from_their_stage_history(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(February20);
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6, time: clock);
        var fixture = await Fixture.BuildAsync(harness, clock);
        var (since, until) = harness.Get<CompanyClock>(fixture.Analyst).DaysUtc(new DateOnly(2030, 3, 1), new DateOnly(2030, 3, 31));
        var kept = Figures(await harness.Get<FunnelQueries>(fixture.Analyst).LoadAsync(since, until));

        await using (var db = harness.NewSystemContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var previous = migrations[migrations.FindIndex(m => m.EndsWith("_OpportunityFunnelFacts", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous);
            await db.Database.MigrateAsync();
        }

        var view = await harness.Get<FunnelQueries>(fixture.Analyst).LoadAsync(since, until);
        Assert.Equal(kept, Figures(view));
        AssertDays(8.0 / 3, view.Total[OpportunityStage.NeedsAnalysis].AverageDays);
        AssertDays(5.5, view.Total.AverageDaysToWin);
        AssertDays(12.0, view.Total.AverageDaysLeadToWon);
        Assert.Equal([6, 4, 3, 2, 2, 2, 2, 1], view.Total.Stages.Select(s => s.Reached));
        await using (var db = harness.NewSystemContext())
        {
            var lost = await db.Opportunities.AsNoTracking().SingleAsync(o => o.AmountFen == 200_000);
            Assert.Equal((OpportunityStage.Lost, OpportunityStage.NeedsAnalysis), (lost.Stage, lost.FurthestStage));
        }
    }

    /// <summary>Every figure of every row, days to six decimals (the providers' instant arithmetic and .NET's differ in the last bits).</summary>
    private static List<string> Figures(FunnelView view) =>
        [.. new[] { view.Total }.Concat(view.Reps).Concat(view.Teams).Select(r => string.Join(" ", new object?[]
            {
                r.Name, r.ClosedWon, r.ClosedLost, Math.Round(r.DaysToWinSum, 6), Math.Round(r.LeadToWonDaysSum, 6), r.WonFromLeads,
            }.Concat(r.Stages.Select(s => (object)$"{s.Stage}:{s.Reached}/{s.Count}/{s.AmountFen}/{Math.Round(s.SpanDays, 6)}/{s.Spans}"))))];

    [Fact]
    public async Task The_funnel_workbook_and_the_funnel_report_carry_the_same_figures_are_audited_and_the_workbook_is_refused_to_a_rep()
    {
        var clock = new FakeTimeProvider(February20);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6, time: clock);
        await Fixture.BuildAsync(harness, clock);
        await using var app = new CrmAppFactory(harness.Database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var analyst = await app.SignedInClientAsync("demo-analyst");
        using var rep = await app.SignedInClientAsync("demo-salesrep");
        var range = new Dictionary<string, string> { ["from"] = "2030-03-01", ["to"] = "2030-03-31" };

        var response = await analyst.PostFormAsync("/pipeline/funnel/export", range);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var stages = workbook.Query(useHeaderRow: true, sheetName: "Stages").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["Initial contact", "Needs analysis", "Proposal", "Negotiation", "Contract", "Delivery", "Won", "Lost"], stages.Select(r => (string)r["Stage"]));
        Assert.Equal([6, 4, 3, 2, 2, 2, 2, 1], stages.Select(r => Number(r["Reached"])));
        Assert.Equal([2, 0, 1, 0, 0, 0, 2, 1], stages.Select(r => Number(r["In stage now"])));
        Assert.Equal(8_000m, Decimal(stages[0]["Amount"]));
        Assert.Equal(800m, Decimal(stages[0]["Weighted"]));
        Assert.Equal(0.75m, Math.Round(Decimal(stages[1]["Conversion to next"]), 4));
        Assert.Equal(2.67m, Decimal(stages[1]["Avg. days in stage"]));
        workbook.Position = 0;
        var reps = workbook.Query(useHeaderRow: true, sheetName: "Reps").Cast<IDictionary<string, object>>().ToList();
        var zhang = reps.Single(r => (string)r["Rep"] == "张伟");
        Assert.Equal((3, 2, 1, 0), (Number(zhang["Opportunities"]), Number(zhang["Needs analysis"]), Number(zhang["Lost in range"]), Number(zhang["Won in range"])));
        var total = reps.Single(r => (string)r["Rep"] == "Total");
        Assert.Equal((6, 0.5m, 5.5m, 12m), (Number(total["Opportunities"]), Decimal(total["Win rate"]), Decimal(total["Avg. days to win"]), Decimal(total["Avg. days lead to win"])));
        workbook.Position = 0;
        var teams = workbook.Query(useHeaderRow: true, sheetName: "Teams").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(5, Number(teams.Single(r => (string)r["Team"] == "华东销售一组")["Opportunities"]));

        // The funnel conversion report (SPEC E4): the same rows per rep, the total last.
        var report = await analyst.PostFormAsync("/reports/funnel/export", range);
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        using var reportBook = new MemoryStream(await report.Content.ReadAsByteArrayAsync());
        var reportRows = reportBook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal("Total", reportRows[^1]["Rep"]);
        Assert.Equal((6, 4, 2, 2, 0.5m), (Number(reportRows[^1]["Opportunities"]), Number(reportRows[^1]["Needs analysis"]), Number(reportRows[^1]["Won in range"]),
            Number(reportRows[^1]["Lost in range"]), Decimal(reportRows[^1]["Win rate"])));
        Assert.Equal(1m, Decimal(reportRows.Single(r => (string)r["Rep"] == "吴强")["Win rate"]));

        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostFormAsync("/pipeline/funnel/export", range)).StatusCode);
        await using var db = harness.NewSystemContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == Domain.Auditing.AuditAction.Export && a.EntityType == "Funnel");
        Assert.Equal("2030-03-01..2030-03-31", entry.EntityId);
    }

    private static void AssertDays(double expected, double? actual) => Assert.Equal(expected, actual!.Value, 3);

    private static int Number(object value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    private static decimal Decimal(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture);

    /// <summary>The opportunities of the class comment, made through the service as the clock moves.</summary>
    internal sealed record Fixture(TestUser Rep, TestUser Rep2, TestUser Supervisor, TestUser Analyst, SecondTeam South)
    {
        public static async Task<Fixture> BuildAsync(DomainHarness harness, FakeTimeProvider clock)
        {
            var rep = await harness.DemoUserAsync("demo-salesrep");
            var rep2 = await harness.DemoUserAsync("demo-salesrep2");
            var fixture = new Fixture(rep, rep2, await harness.DemoUserAsync("demo-supervisor"), await harness.DemoUserAsync("demo-analyst"), await SecondTeam.AddAsync(harness));
            await using (var db = harness.NewSystemContext())
            {
                var spare = await db.Customers.Where(c => c.OwnerId != rep.UserId && c.OwnerId != rep2.UserId).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
                await fixture.South.TakeOverAsync(harness, spare);
            }
            var o0 = await CreateAsync(harness, rep2, 50_000);
            var fromFebruary = await LeadAsync(harness, rep2, "13900000001");
            clock.SetUtcNow(Day0.AddDays(-1));
            var fromDayBefore = await LeadAsync(harness, fixture.South.Rep, "13900000002");
            clock.SetUtcNow(Day0);
            await LoseAsync(harness, rep2, o0);
            var a1 = await CreateAsync(harness, rep, 100_000);
            var a2 = await CreateAsync(harness, rep, 200_000);
            await CreateAsync(harness, rep, 300_000);
            var b1 = await CreateAsync(harness, rep2, 400_000);
            await CreateAsync(harness, rep2, 500_000);
            var c1 = await CreateAsync(harness, fixture.South.Rep, 1_000_000);
            await ConvertedAsync(harness, fromFebruary, b1);
            await ConvertedAsync(harness, fromDayBefore, c1);
            clock.SetUtcNow(Day0.AddDays(2));
            await MoveAsync(harness, rep, a1, OpportunityStage.NeedsAnalysis);
            await MoveAsync(harness, rep, a2, OpportunityStage.NeedsAnalysis);
            await MoveAsync(harness, rep2, b1, OpportunityStage.Proposal);
            await MoveAsync(harness, fixture.South.Rep, c1, OpportunityStage.NeedsAnalysis);
            clock.SetUtcNow(Day0.AddDays(4));
            await LoseAsync(harness, rep, a2);
            clock.SetUtcNow(Day0.AddDays(5));
            await MoveAsync(harness, rep, a1, OpportunityStage.Proposal);
            await MoveAsync(harness, rep2, b1, OpportunityStage.Won);
            await MoveAsync(harness, fixture.South.Rep, c1, OpportunityStage.Contract);
            clock.SetUtcNow(Day0.AddDays(6));
            await MoveAsync(harness, fixture.South.Rep, c1, OpportunityStage.Won);
            clock.SetUtcNow(Day0.AddDays(7));
            return fixture;
        }

        /// <summary>What a conversion leaves behind (LeadService.ConvertAsync): the lead points at the opportunity, which keeps the lead's creation.</summary>
        private static async Task ConvertedAsync(DomainHarness harness, Guid lead, Guid opportunity)
        {
            await using var db = harness.NewSystemContext();
            var leadCreatedAt = await db.Leads.Where(l => l.Id == lead).Select(l => l.CreatedAt).SingleAsync();
            await db.Leads.Where(l => l.Id == lead).ExecuteUpdateAsync(u => u.SetProperty(l => l.ConvertedOpportunityId, opportunity).SetProperty(l => l.Status, LeadStatus.Converted));
            await db.Opportunities.Where(o => o.Id == opportunity).ExecuteUpdateAsync(u => u.SetProperty(o => o.LeadCreatedAt, leadCreatedAt));
        }

        private static async Task<Guid> LeadAsync(DomainHarness harness, TestUser owner, string mobile) =>
            (await harness.Get<LeadService>(owner).CreateAsync(new LeadInput { Company = "漏斗线索 " + mobile, ContactName = "王五", Mobile = mobile })).Id;

        private static async Task<Guid> CreateAsync(DomainHarness harness, TestUser owner, long amountFen) =>
            (await harness.Get<OpportunityService>(owner).CreateAsync(
                new OpportunityInput(await DemandTests.CustomerOfAsync(harness, owner), "漏斗测试", amountFen, new DateOnly(2030, 6, 30), null))).Id;

        private static async Task MoveAsync(DomainHarness harness, TestUser user, Guid id, OpportunityStage to) =>
            Assert.Equal(MoveOutcome.Moved, await harness.Get<OpportunityService>(user).MoveAsync(id, await VersionAsync(harness, id), to));

        private static async Task LoseAsync(DomainHarness harness, TestUser user, Guid id) =>
            await harness.Get<OpportunityService>(user).LoseAsync(id, await VersionAsync(harness, id), "price");

        private static async Task<int> VersionAsync(DomainHarness harness, Guid id)
        {
            await using var db = harness.NewSystemContext();
            return await db.Opportunities.Where(o => o.Id == id).Select(o => o.Version).SingleAsync();
        }
    }
}
