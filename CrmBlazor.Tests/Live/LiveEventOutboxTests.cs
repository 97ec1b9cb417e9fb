using System.Collections.Concurrent;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Live;

/// <summary>
/// Issue #19: every live event that follows a change is recorded with it (the outbox) and read back by every instance,
/// so neither a Redis outage nor a publisher that dies after its commit loses it — and nothing arrives twice.
/// </summary>
public sealed class LiveEventOutboxTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _channel = $"crmblazor:test:{Guid.NewGuid():N}";

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CrmAppFactory Host(string? redis = null) => new(_database.Settings, redis ?? TestServices.Redis, settings: new Dictionary<string, string?>
    {
        ["Redis:Channel"] = _channel,
        ["Jobs:Enabled"] = "false",
    });

    [Fact]
    public async Task A_change_committed_whose_publish_never_happened_reaches_both_hosts_once_from_the_outbox()
    {
        await using var hostA = Host();
        await using var hostB = Host();
        var (onA, onB) = (Listen(hostA), Listen(hostB));
        await Task.Delay(1500); // both readers have noted where the outbox ends

        // What a publisher that died right after its commit leaves behind: the change and its event row, nothing sent.
        var lost = new CustomerChanged(Guid.NewGuid(), 7, null, "host A") { Audience = [Audience.ForRole(Role.Admin)] };
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            db.RecordLiveEvent(lost);
            await db.SaveChangesAsync();
        }

        await Eventually(() => onA.Events.Any(e => e.EventId == lost.EventId) && onB.Events.Any(e => e.EventId == lost.EventId));
        await Task.Delay(2500); // more reader passes: room for a duplicate, were there one
        var received = Assert.IsType<CustomerChanged>(Assert.Single(onB.Events, e => e.EventId == lost.EventId));
        Assert.Equal(lost.CustomerId, received.CustomerId);
        Assert.Single(onA.Events, e => e.EventId == lost.EventId);
    }

    [Fact]
    public async Task With_Redis_unreachable_on_host_A_a_demand_moved_there_reaches_host_B_once_with_its_saved_version()
    {
        await using var hostA = Host($"127.0.0.1:{TestServices.FreeTcpPort()},connectTimeout=500,connectRetry=1");
        await using var hostB = Host();
        var onB = Listen(hostB);
        await Task.Delay(1500);

        Demand moved;
        await using (var scope = hostA.Services.CreateAsyncScope())
        {
            await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
            CrmAppFactory.ActAs(scope, db, "demo-supervisor");
            var demand = await db.Demands.AsNoTracking().FirstAsync(d => d.Status == DemandStatus.Open || d.Status == DemandStatus.InProgress);
            var to = demand.Status == DemandStatus.Open ? DemandStatus.InProgress : DemandStatus.Open;
            moved = await scope.ServiceProvider.GetRequiredService<DemandService>().MoveAsync(demand.Id, demand.Version, to);
        }

        await Eventually(() => onB.Events.OfType<DemandChanged>().Any(e => e.DemandId == moved.Id));
        await Task.Delay(2500);
        var received = Assert.Single(onB.Events.OfType<DemandChanged>(), e => e.DemandId == moved.Id);
        Assert.Equal(moved.Version, received.Version);
    }

    [Fact]
    public async Task A_task_assigned_on_host_A_tells_both_hosts_once_though_Redis_and_the_outbox_both_bring_it()
    {
        await using var hostA = Host();
        await using var hostB = Host();
        var (onA, onB) = (Listen(hostA), Listen(hostB));
        await Task.Delay(1500);

        Guid repId;
        await using (var scope = hostA.Services.CreateAsyncScope())
        {
            await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
            CrmAppFactory.ActAs(scope, db, "demo-supervisor");
            var rep = await db.Users.SingleAsync(u => u.ExternalId == "demo-salesrep");
            repId = rep.Id;
            var demand = await db.Demands.AsNoTracking().FirstAsync(d => d.Status != DemandStatus.Done && db.Customers.Any(c => c.Id == d.CustomerId && c.OwnerId == rep.Id));
            await scope.ServiceProvider.GetRequiredService<DemandService>().AddTaskAsync(demand.Id, new TaskInput("核对报价单", rep.Id, new DateTime(2031, 1, 15, 10, 0, 0)));
        }

        await Eventually(() => onB.Events.OfType<NotificationsChanged>().Any(e => e.UserId == repId) && onA.Events.OfType<NotificationsChanged>().Any(e => e.UserId == repId));
        await Task.Delay(2500);
        Assert.Single(onA.Events.OfType<NotificationsChanged>(), e => e.UserId == repId);
        Assert.Single(onB.Events.OfType<NotificationsChanged>(), e => e.UserId == repId);
        Assert.Single(onB.Events.OfType<DemandChanged>());
        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.Equal(1, await check.Notifications.CountAsync(n => n.UserId == repId && n.Kind == Domain.Notifications.NotificationKinds.TaskAssigned));
    }

    [Fact]
    public async Task The_reader_delivers_a_later_position_first_then_the_earlier_one_when_its_transaction_commits_and_gives_up_on_a_rolled_back_one()
    {
        await using var seeded = await TestDatabase.CreateSeededAsync(DatabaseProvider.Postgres, customers: 0);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        var local = new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance);
        var delivered = new ConcurrentQueue<Guid>();
        using var subscription = local.Subscribe(e => { delivered.Enqueue(e.EventId); return Task.CompletedTask; });
        var options = Options.Create(new LiveEventOptions { GapTimeout = TimeSpan.FromMinutes(2) });
        var reader = new LiveEventCatchUp(seeded.Settings, local, time, options, NullLogger<LiveEventCatchUp>.Instance);
        Assert.Equal(0, await reader.PassAsync()); // notes where the outbox ends

        // A slow transaction takes the lower position; a quick one commits a higher position before it.
        await using var slow = DomainServices.CreateSystemContext(seeded.Settings, time);
        await using var slowTransaction = await slow.Database.BeginTransactionAsync();
        var early = slow.RecordLiveEvent(new PermissionsChanged());
        await slow.SaveChangesAsync();
        var late = await RecordAsync(seeded.Settings, time, new PermissionsChanged());

        Assert.Equal(1, await reader.PassAsync());
        Assert.Equal([late.EventId], delivered);
        Assert.Equal(1, reader.MissingCount);

        await slowTransaction.CommitAsync();
        Assert.Equal(1, await reader.PassAsync());
        Assert.Equal([late.EventId, early.EventId], delivered);
        Assert.Equal(0, reader.MissingCount);
        Assert.Equal(0, await reader.PassAsync()); // nothing twice

        // A transaction that rolls back leaves its position empty for good: waited for, then given up.
        await using (var rolledBack = DomainServices.CreateSystemContext(seeded.Settings, time))
        {
            await using var transaction = await rolledBack.Database.BeginTransactionAsync();
            rolledBack.RecordLiveEvent(new PermissionsChanged());
            await rolledBack.SaveChangesAsync();
            await transaction.RollbackAsync();
        }
        var after = await RecordAsync(seeded.Settings, time, new PermissionsChanged());
        Assert.Equal(1, await reader.PassAsync());
        Assert.Equal(1, reader.MissingCount);
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(0, await reader.PassAsync());
        Assert.Equal(0, reader.MissingCount);
        Assert.Equal([late.EventId, early.EventId, after.EventId], delivered);
    }

    [Fact]
    public async Task The_reader_deletes_rows_a_day_older_than_the_newest_whatever_its_own_clock_says()
    {
        await using var seeded = await TestDatabase.CreateSeededAsync(DatabaseProvider.Sqlite, customers: 0);
        var newest = new DateTime(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc);
        var old = await RecordAsync(seeded.Settings, TimeProvider.System, new PermissionsChanged { OccurredAt = newest.AddDays(-1).AddMinutes(-1) });
        var kept = await RecordAsync(seeded.Settings, TimeProvider.System, new PermissionsChanged { OccurredAt = newest.AddHours(-23) });
        await RecordAsync(seeded.Settings, TimeProvider.System, new PermissionsChanged { OccurredAt = newest });
        // This instance's clock runs a year ahead: by it every row is old, yet only the one a day older than the newest goes.
        var time = new FakeTimeProvider(new DateTimeOffset(newest.AddYears(1)));
        var reader = new LiveEventCatchUp(seeded.Settings, new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance), time,
            Options.Create(new LiveEventOptions()), NullLogger<LiveEventCatchUp>.Instance);

        await reader.PassAsync();
        await reader.PassAsync();

        await using var db = DomainServices.CreateSystemContext(seeded.Settings, TimeProvider.System);
        var left = await db.LiveEventOutbox.Select(r => r.EventId).ToListAsync();
        Assert.DoesNotContain(old.EventId, left);
        Assert.Contains(kept.EventId, left);
        Assert.Equal(2, left.Count);
    }

    [Fact]
    public async Task An_event_built_at_save_time_carries_the_saved_version_and_one_that_builds_nothing_records_nothing()
    {
        await using var seeded = await TestDatabase.CreateSeededAsync(DatabaseProvider.Postgres, customers: 1);
        await using var db = DomainServices.CreateSystemContext(seeded.Settings, TimeProvider.System);
        var customer = await db.Customers.FirstAsync();
        var before = customer.Version;
        var rows = await db.LiveEventOutbox.CountAsync();
        customer.Name += "（更名）";
        db.RecordLiveEvent(() => new CustomerChanged(customer.Id, customer.Version, null, "system"));
        db.RecordLiveEvent(() => null);
        await db.SaveChangesAsync();

        await using var check = DomainServices.CreateSystemContext(seeded.Settings, TimeProvider.System);
        var recorded = Assert.Single(await check.LiveEventOutbox.OrderByDescending(r => r.Position).Take(await check.LiveEventOutbox.CountAsync() - rows).ToListAsync());
        var changed = Assert.IsType<CustomerChanged>(recorded.Read());
        Assert.Equal(before + 1, changed.Version);
    }

    private static async Task<T> RecordAsync<T>(DatabaseSettings settings, TimeProvider time, T liveEvent) where T : LiveEvent
    {
        await using var db = DomainServices.CreateSystemContext(settings, time);
        db.RecordLiveEvent(liveEvent);
        await db.SaveChangesAsync();
        return liveEvent;
    }

    private static Received Listen(CrmAppFactory host)
    {
        var received = new Received();
        received.Subscription = host.Services.GetRequiredService<ILiveEvents>().Subscribe(e => { received.Events.Enqueue(e); return Task.CompletedTask; });
        return received;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The event did not arrive within 10 seconds.");
            await Task.Delay(20);
        }
    }

    private sealed class Received
    {
        public ConcurrentQueue<LiveEvent> Events { get; } = new();

        public IDisposable? Subscription { get; set; }
    }
}
