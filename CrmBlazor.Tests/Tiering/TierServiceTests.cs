using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Tiering;

/// <summary>SPEC E1, E3, F3 through the Domain services, on real databases.</summary>
public sealed class TierServiceTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_order_lifts_a_customer_at_evaluation_the_history_keeps_rule_and_figures_and_an_override_survives(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 8);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        Guid lifted, pinned;
        await using (var db = harness.NewSystemContext())
        {
            var mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
            (lifted, pinned) = (mine[0], mine[1]);
            // A clean start for these two: no orders, no demands.
            await db.Orders.Where(o => mine.Contains(o.CustomerId)).ExecuteDeleteAsync();
            await db.Demands.Where(d => mine.Contains(d.CustomerId)).ExecuteDeleteAsync();
        }
        var tiers = harness.Get<TierService>(supervisor);
        await tiers.EvaluateAllAsync();
        await tiers.EvaluateAllAsync(); // nothing left to change
        Assert.Equal("C", await TierOfAsync(harness, lifted));
        Assert.Equal(0, await tiers.EvaluateAllAsync());

        var today = harness.Get<CrmBlazor.Domain.Common.CompanyClock>(rep).Today;
        var orders = harness.Get<OrderService>(rep);
        await orders.AddAsync(new OrderInput(lifted, $"HT-T-{provider}-1", today.AddYears(-1).AddDays(-30), 80_000m, "首年订阅", false));
        await orders.AddAsync(new OrderInput(lifted, $"HT-T-{provider}-2", today.AddDays(-10), 250_000.50m, "续约", true));
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => orders.AddAsync(new OrderInput(lifted, $"HT-T-{provider}-2", today.AddDays(1), -5m, null, false)));
        Assert.Equal(["Amount", "Number", "SignedOn"], refused.Errors.Select(e => e.Field).Order());
        await tiers.SetOverrideAsync(pinned, "S", "集团战略合作伙伴，董事会指定");
        await Assert.ThrowsAsync<ValidationFailedException>(() => tiers.SetOverrideAsync(pinned, "A", " "));

        var changed = await tiers.EvaluateAllAsync();

        Assert.Equal(1, changed);
        Assert.Equal("A", await TierOfAsync(harness, lifted));
        Assert.Equal("S", await TierOfAsync(harness, pinned));
        await using (var db = harness.NewSystemContext())
        {
            var history = await db.TierChanges.Where(c => c.CustomerId == lifted && !c.IsOverride).OrderBy(c => c.At).ToListAsync();
            var last = history[^1];
            Assert.Equal(("C", "A"), (last.FromTier, last.ToTier));
            Assert.Equal("A: amount ≥ 200000", last.Reason);
            Assert.Equal(250_000.50m, last.AnnualAmount);
            Assert.Equal(1, last.Years);
            Assert.Equal(1m, last.RenewalRate);
            Assert.Equal(supervisor.DisplayName, last.ByName);
            var overridden = await db.TierChanges.SingleAsync(c => c.CustomerId == pinned && c.IsOverride);
            Assert.Equal("集团战略合作伙伴，董事会指定", overridden.Reason);
        }
        var figures = OrderService.FiguresOf(await orders.ListAsync(lifted), today);
        Assert.Equal(250_000.50m, figures.Last12Months);
        Assert.Equal(1m, figures.RenewalRate);

        await tiers.SetOverrideAsync(pinned, null, null);
        Assert.Equal("C", await TierOfAsync(harness, pinned)); // back to the rules at once
        Assert.Equal(0, await tiers.EvaluateAllAsync());
    }

    [Fact]
    public async Task The_preview_counts_what_evaluation_then_gives_and_a_rule_set_without_a_catch_all_is_refused()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 30);
        var admin = await harness.DemoUserAsync("demo-admin");
        var tiers = harness.Get<TierService>(admin);
        var stricter = TierRule.Defaults().Select(r => new TierRule { Tier = r.Tier, Name = r.Name, Order = r.Order, Clauses = r.Clauses }).ToList();
        stricter[0].Clauses = TierRule.Serialize([new TierClause { MinAnnualAmount = 700_000, MinYears = 2 }]);

        var preview = await tiers.PreviewAsync(stricter);
        await tiers.SaveRulesAsync(stricter);
        var changed = await tiers.EvaluateAllAsync();

        Assert.Equal(preview.Changing, changed);
        await using (var db = harness.NewSystemContext())
        {
            var actual = await db.Customers.GroupBy(c => c.Tier!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
            Assert.Equal(preview.Counts.Where(c => c.Value > 0).OrderBy(c => c.Key), actual.OrderBy(c => c.Key));
        }
        var withEmpty = TierRule.Defaults().ToList();
        withEmpty[1].Clauses = TierRule.Serialize([.. withEmpty[1].ParsedClauses(), new TierClause()]);
        var empty = await Assert.ThrowsAsync<ValidationFailedException>(() => tiers.SaveRulesAsync(withEmpty));
        Assert.Equal("Validation.TierClauseEmpty", Assert.Single(empty.Errors).MessageKey);
        var noCatchAll = stricter.Take(3).ToList();
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => tiers.SaveRulesAsync(noCatchAll));
        Assert.Equal("Validation.TierCatchAll", Assert.Single(refused.Errors).MessageKey);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<TierService>(supervisor).SaveRulesAsync(stricter));
    }

    [Fact]
    public async Task Dashboards_answering_one_live_event_share_one_read_within_a_scope_and_never_across_scopes()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 12);
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var (since, until) = (new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var liveEvent = Guid.NewGuid();

        // Two analysts' tabs answer the same customer save: the second gets the first one's figures, not a query of its
        // own — a customer added behind everyone's back in between (no event) does not show, because no second query ran.
        var first = await harness.Get<TierDashboard>(analyst).LoadAsync(new CustomerFilter(), liveEvent);
        var firstConversion = await harness.Get<KeyCustomerConversion>(analyst).LoadAsync(since, until, liveEvent);
        await using (var db = harness.NewSystemContext())
        {
            var template = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId == rep.UserId);
            db.Customers.Add(new Customer { Name = "共享读取新增有限公司", Number = "CRM2099001", OwnerId = rep.UserId!.Value, Status = template.Status, Tier = "A" });
            await db.SaveChangesAsync();
        }
        Assert.Same(first, await harness.Get<TierDashboard>(analyst).LoadAsync(new CustomerFilter(), liveEvent));
        Assert.Same(firstConversion, await harness.Get<KeyCustomerConversion>(analyst).LoadAsync(since, until, liveEvent));

        // The user's own read and the next event read anew; so does another filter.
        Assert.Equal(first.Total + 1, (await harness.Get<TierDashboard>(analyst).LoadAsync(new CustomerFilter())).Total);
        Assert.Equal(first.Total + 1, (await harness.Get<TierDashboard>(analyst).LoadAsync(new CustomerFilter(), Guid.NewGuid())).Total);
        Assert.NotSame(first, await harness.Get<TierDashboard>(analyst).LoadAsync(new CustomerFilter { Tiers = ["A"] }, liveEvent));
        Assert.NotSame(firstConversion, await harness.Get<KeyCustomerConversion>(analyst).LoadAsync(since, until, Guid.NewGuid()));

        // Another scope answering the same event reads its own figures: a rep never gets the analyst's.
        await using var check = harness.NewSystemContext();
        var repsOwn = await check.Customers.CountAsync(c => c.OwnerId == rep.UserId);
        Assert.Equal(repsOwn, (await harness.Get<TierDashboard>(rep).LoadAsync(new CustomerFilter(), liveEvent)).Total);
        Assert.True(repsOwn < first.Total + 1);
    }

    [Theory]
    [InlineData("demo-salesrep")]
    [InlineData("demo-supervisor")]
    [InlineData("demo-analyst")]
    public async Task The_dashboard_counts_equal_the_lists_counts_for_the_same_filter_within_the_users_scope(string demoUser)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 40);
        var user = await harness.DemoUserAsync(demoUser);
        var dashboard = harness.Get<TierDashboard>(user);
        var list = harness.Get<CustomerQueries>(user);

        foreach (var filter in new[] { new CustomerFilter(), new CustomerFilter { Statuses = ["active"] }, new CustomerFilter { Industries = ["finance", "software"] } })
        {
            var data = await dashboard.LoadAsync(filter);
            Assert.Equal(await list.CountAsync(filter), data.Total);
            foreach (var (tier, count) in data.Distributions[CustomerDimension.Tier])
            {
                Assert.Equal((await list.ListAsync(filter with { Tiers = [tier] }, 0, 1)).TotalCount, count);
            }
            foreach (var (industry, count) in data.Distributions[CustomerDimension.Industry].Where(d => d.Key.Length > 0))
            {
                Assert.Equal(await list.CountAsync(filter with { Industries = [industry] }), count);
            }
        }
        await using var db = harness.NewSystemContext();
        var inScope = demoUser switch
        {
            "demo-salesrep" => await db.Customers.CountAsync(c => c.OwnerId == user.UserId),
            "demo-supervisor" => await db.Customers.CountAsync(c => c.Owner!.Memberships.Any(m => user.SupervisedTeamIds.Contains(m.TeamId))),
            _ => await db.Customers.CountAsync(),
        };
        Assert.Equal(inScope, (await dashboard.LoadAsync(new CustomerFilter())).Total);
        if (demoUser == "demo-salesrep")
        {
            Assert.True(inScope < await db.Customers.CountAsync(), "a rep's dashboard is theirs, not everyone's");
        }
    }

    [Fact]
    public async Task A_monthly_run_that_never_finished_is_taken_over_after_an_hour_by_one_pass()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2031, 5, 10, 8, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 5, time: clock);
        await using (var db = harness.NewSystemContext())
        {
            db.TierEvaluationRuns.Add(new TierEvaluationRun { Month = "2031-05", StartedAt = clock.GetUtcNow().UtcDateTime.AddMinutes(-30) });
            await db.SaveChangesAsync();
        }
        var job = harness.Get<TierJob>(CrmBlazor.Domain.Access.SystemUser.Instance);

        Assert.False(await job.RunAsync()); // still running, as far as anyone knows
        clock.Advance(TimeSpan.FromMinutes(31));
        var outcomes = await Task.WhenAll(job.RunAsync(), harness.Get<TierJob>(CrmBlazor.Domain.Access.SystemUser.Instance).RunAsync());

        Assert.Equal(1, outcomes.Count(ran => ran));
        await using var check = harness.NewSystemContext();
        Assert.NotNull((await check.TierEvaluationRuns.SingleAsync()).FinishedAt);
    }

    private static async Task<string?> TierOfAsync(DomainHarness harness, Guid customerId)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.Id == customerId).Select(c => c.Tier).SingleAsync();
    }
}
