using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Reports;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Reports;

/// <summary>SPEC E4: the first reports, over a date range and within the reader's scope.</summary>
public sealed class ReportTests
{
    [Fact]
    public async Task Interactions_per_rep_count_the_range_only_and_reports_are_for_supervisors_and_analysts()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        List<Guid> mine;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
            await db.Interactions.ExecuteDeleteAsync();
        }
        var theirs = await DemandTests.CustomerOfAsync(harness, other);
        var day = new DateTime(2026, 10, 15, 8, 0, 0, DateTimeKind.Utc);
        Task Log(TestUser who, Guid customer, DateTime at) =>
            harness.Get<InteractionService>(who).LogAsync(new InteractionInput(customer, "phone", at, "回访", null, null, [], [], []));
        await Log(rep, mine[0], day);
        await Log(rep, mine[0], day.AddDays(1));
        await Log(rep, mine[1], day.AddDays(2));
        await Log(rep, mine[1], day.AddMonths(2)); // outside the range
        await Log(other, theirs, day);

        var team = await harness.Get<ReportQueries>(supervisor).InteractionsAsync(day.AddDays(-15), day.AddDays(16));

        Assert.Equal([(rep.DisplayName, 3, 2), (other.DisplayName, 1, 1), (ReportQueries.Total, 4, 3)], team.Select(r => (r.Rep, r.Interactions, r.Customers)));
        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.AccessDeniedException>(() => harness.Get<ReportQueries>(rep).InteractionsAsync(day.AddDays(-15), day.AddDays(16)));
    }

    [Fact]
    public async Task Sla_compliance_sorts_demands_into_in_time_late_breached_and_still_running()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 3, 2, 0, 0, TimeSpan.Zero)); // Monday 10:00 in Beijing
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using (var db = harness.NewSystemContext())
        {
            await db.Demands.ExecuteDeleteAsync(); // only this test's demands
        }
        var customer = await DemandTests.CustomerOfAsync(harness, rep);
        var demands = harness.Get<DemandService>(rep);
        var inTime = await demands.CreateAsync(new DemandInput(customer, "按时", "existing", DemandPriority.High, null));
        var late = await demands.CreateAsync(new DemandInput(customer, "超时响应", "existing", DemandPriority.High, null));
        await demands.CreateAsync(new DemandInput(customer, "超时未响应", "existing", DemandPriority.High, null));
        await demands.CreateAsync(new DemandInput(customer, "进行中", "existing", DemandPriority.Low, null));
        await demands.MoveAsync(inTime.Id, inTime.Version, DemandStatus.InProgress);
        clock.Advance(TimeSpan.FromHours(30)); // past the high-priority deadlines, within the low one's working week
        await demands.MoveAsync(late.Id, late.Version, DemandStatus.InProgress);
        var now = clock.GetUtcNow().UtcDateTime;

        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var report = await harness.Get<ReportQueries>(supervisor).SlaAsync(now.AddDays(-3), now.AddDays(1));
        var before = await harness.Get<ReportQueries>(supervisor).SlaAsync(now.AddDays(-30), now.AddDays(-3));

        var mine = Assert.Single(report, r => r.Owner == rep.DisplayName);
        Assert.Equal((4, 1, 1, 1, 1), (mine.Demands, mine.InTime, mine.Late, mine.OpenBreached, mine.OpenWithinDeadline));
        Assert.Equal(1m / 3, mine.Rate);
        Assert.Equal(4, report[^1].Demands);
        Assert.Equal(0, before[^1].Demands);
    }

    [Fact]
    public async Task Completeness_counts_the_key_fields_each_owner_has_filled()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 20);
        var analyst = await harness.DemoUserAsync("demo-analyst");
        await using (var db = harness.NewSystemContext())
        {
            var some = await db.Customers.OrderBy(c => c.Number).Take(3).Select(c => c.Id).ToListAsync();
            await db.Customers.Where(c => some.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.Website, (string?)null).SetProperty(c => c.Industry, (string?)null));
        }

        var report = await harness.Get<ReportQueries>(analyst).CompletenessAsync();

        var total = report[^1];
        await using var check = harness.NewSystemContext();
        Assert.Equal(await check.Customers.CountAsync(), total.Customers);
        Assert.Equal(await check.Customers.CountAsync(c => c.Industry != null), total.WithIndustry);
        Assert.Equal(await check.Customers.CountAsync(c => c.Website != null), total.WithWebsite);
        Assert.Equal(total.Customers - 3, total.WithWebsite);
        Assert.InRange(total.Rate, 0.5m, 0.99m);
    }
}
