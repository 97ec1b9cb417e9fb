using System.Collections.Concurrent;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// Issue 19: the changes jobs and merges make to customers reach their open pages, as events recorded with the change
/// (the outbox), one per batch for the bulk paths.
/// </summary>
public sealed class CustomersChangedTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_monthly_tier_run_names_the_customers_it_moved_in_one_event_recorded_with_the_change(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 4, 1, 0, 30, 0, TimeSpan.FromHours(8)));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 12, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, "S").SetProperty(c => c.TierOverride, (string?)null));
        }
        var events = Capture(harness);

        Assert.True(await harness.Get<TierJob>(SystemUser.Instance).RunAsync());

        await using var check = harness.NewSystemContext();
        var moved = await check.TierChanges.Where(c => !c.IsOverride).Select(c => c.CustomerId).ToListAsync();
        Assert.NotEmpty(moved);
        var changed = Assert.Single(events.OfType<CustomersChanged>());
        Assert.Equal(moved.Order(), changed.CustomerIds.Order());
        Assert.False(changed.Many);
        Assert.Null(changed.ChangedBy); // the job: pages show a neutral hint
        Assert.Contains(Audience.ForUser(rep.UserId!.Value), changed.Audience);
        Assert.Equal(moved.Count, Assert.Single(events.OfType<TiersChanged>()).Customers);
        await AssertRecordedAsync(check, events);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_silent_marking_names_the_customers_it_marked_in_one_event_for_whoever_may_see_them(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 12, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var otherRep = await harness.DemoUserAsync("demo-salesrep2");
        List<Guid> quiet;
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, now.AddDays(-1)));
            quiet = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
            await db.Customers.Where(c => quiet.Contains(c.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CustomerStatuses.Active).SetProperty(c => c.LastContactAt, now.AddDays(-100)));
        }
        var events = Capture(harness);

        await harness.Get<ReminderJob>(SystemUser.Instance).RunAsync();
        await harness.Get<ReminderJob>(SystemUser.Instance).RunAsync(); // nothing new to mark: no second event

        var marked = Assert.Single(events.OfType<CustomersChanged>());
        Assert.Equal(quiet.Order(), marked.CustomerIds.Order());
        Assert.True(marked.Concerns(quiet[0]));
        Assert.Null(marked.ChangedBy);
        Assert.Contains(Audience.ForUser(rep.UserId!.Value), marked.Audience);
        Assert.DoesNotContain(Audience.ForUser(otherRep.UserId!.Value), marked.Audience);
        await using var check = harness.NewSystemContext();
        Assert.Equal(2, await check.Customers.CountAsync(c => quiet.Contains(c.Id) && c.Status == CustomerStatuses.Silent));
        await AssertRecordedAsync(check, events.OfType<CustomersChanged>());
    }

    [Fact]
    public async Task Past_the_cap_the_event_says_many_and_goes_to_every_role()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 2);
        await using var db = harness.NewSystemContext();
        var ids = Enumerable.Range(0, CustomersChanged.MaxIds + 1).Select(_ => Guid.NewGuid()).ToList();

        var many = await CustomersChanged.OfAsync(db, ids, null, "system", CancellationToken.None);

        Assert.True(many.Many);
        Assert.Empty(many.CustomerIds);
        Assert.True(many.Concerns(Guid.NewGuid()));
        Assert.Equal(TiersChanged.Everyone, many.Audience);
    }

    [Fact]
    public async Task A_merge_tells_the_merged_customers_page_and_the_survivors_page_recorded_with_the_merge()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 8);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        List<Guid> mine;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
        }
        var merge = harness.Get<CustomerMerge>(rep);
        var request = await merge.RequestAsync(new MergePlan(mine[0], mine[1], []));
        await harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version, approve: true, "同一家公司");
        var events = Capture(harness);

        await merge.ExecuteAsync(request.Id);

        var told = events.OfType<CustomerChanged>().ToList();
        Assert.Equal(mine.Order(), told.Select(e => e.CustomerId).Order());
        Assert.All(told, e => Assert.Equal(rep.UserId, e.ChangedBy));
        Assert.All(told, e => Assert.Contains(Audience.ForUser(rep.UserId!.Value), e.Audience));
        await using var check = harness.NewSystemContext();
        await AssertRecordedAsync(check, told);
    }

    private static ConcurrentQueue<LiveEvent> Capture(DomainHarness harness)
    {
        var events = new ConcurrentQueue<LiveEvent>();
        harness.LiveEvents.Subscribe(e =>
        {
            events.Enqueue(e);
            return Task.CompletedTask;
        });
        return events;
    }

    private static async Task AssertRecordedAsync(CrmDbContext db, IEnumerable<LiveEvent> events)
    {
        var ids = events.Select(e => e.EventId).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, await db.LiveEventOutbox.CountAsync(r => ids.Contains(r.EventId)));
    }
}
