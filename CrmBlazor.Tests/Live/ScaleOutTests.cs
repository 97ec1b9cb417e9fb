using System.Collections.Concurrent;
using System.Net;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Live;

/// <summary>SPEC J3: two app hosts on one PostgreSQL database and one Redis.</summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _channel = $"crmblazor:test:{Guid.NewGuid():N}";

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CrmAppFactory Host(TimeProvider? time = null) => new(_database.Settings, TestServices.Redis, settings: new Dictionary<string, string?>
    {
        ["Redis:Channel"] = _channel,
        ["Jobs:Enabled"] = "false", // the tests run the job passes themselves, on both hosts at once
    }, time: time);

    [Fact]
    public async Task An_event_published_on_host_A_reaches_a_subscriber_on_host_B_exactly_once()
    {
        await using var hostA = Host();
        await using var hostB = Host();
        _ = hostA.Server;
        _ = hostB.Server;
        var onB = new ConcurrentBag<LiveEvent>();
        var onA = new ConcurrentBag<LiveEvent>();
        using var subB = hostB.Services.GetRequiredService<ILiveEvents>().Subscribe(e => { onB.Add(e); return Task.CompletedTask; });
        using var subA = hostA.Services.GetRequiredService<ILiveEvents>().Subscribe(e => { onA.Add(e); return Task.CompletedTask; });

        var published = new CustomerChanged(Guid.NewGuid(), 3, null, "host A") { Audience = [Audience.ForRole(Role.Admin)] };
        await hostA.Services.GetRequiredService<ILiveEvents>().PublishAsync(published);

        await Eventually(() => !onB.IsEmpty && !onA.IsEmpty);
        await Task.Delay(300); // room for a duplicate to show up, were there one
        var received = Assert.IsType<CustomerChanged>(Assert.Single(onB));
        Assert.Equal(published.EventId, received.EventId);
        Assert.Equal(published.CustomerId, received.CustomerId);
        Assert.Single(onA);
    }

    [Fact]
    public async Task A_hub_client_on_host_B_receives_a_change_saved_on_host_A_once_and_only_if_it_may_see_the_customer()
    {
        await using var hostA = Host();
        await using var hostB = Host();
        var owner = await ConnectAsync(hostB, "demo-salesrep");
        var otherRep = await ConnectAsync(hostB, "demo-salesrep2");
        var ownerEvents = new ConcurrentBag<string>();
        var otherEvents = new ConcurrentBag<string>();
        owner.On<string, object>("event", (kind, _) => ownerEvents.Add(kind));
        otherRep.On<string, object>("event", (kind, _) => otherEvents.Add(kind));

        await using (var scope = hostA.Services.CreateAsyncScope())
        {
            await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
            var rep = CrmAppFactory.ActAs(scope, db, "demo-salesrep");
            var customer = db.Customers.First(c => c.OwnerId == rep.Id);
            await scope.ServiceProvider.GetRequiredService<CustomerService>()
                .UpdateAsync(customer.Id, customer.Version, CustomerInputs.From(customer) with { Name = customer.Name + "（集团）" });
        }

        await Eventually(() => !ownerEvents.IsEmpty);
        await Task.Delay(300);
        Assert.Equal(["customer-changed"], ownerEvents);
        Assert.Empty(otherEvents);
        await owner.DisposeAsync();
        await otherRep.DisposeAsync();
    }

    [Fact]
    public async Task A_sign_in_on_host_A_is_accepted_by_host_B_through_the_shared_key_ring()
    {
        await using var hostA = Host();
        await using var hostB = Host();
        var cookie = await hostA.SignInCookieAsync("demo-analyst");
        var clientB = hostB.CreateClient(new() { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", cookie);

        var response = await clientB.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("赵磊", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permission_change_on_host_A_is_enforced_on_host_B()
    {
        await using var hostA = Host();
        await using var hostB = Host();
        _ = hostB.Server;
        var permissionsB = hostB.Services.GetRequiredService<Permissions>();
        Assert.True(permissionsB.Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));

        await using (var scope = hostA.Services.CreateAsyncScope())
        {
            await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
            CrmAppFactory.ActAs(scope, db, "demo-admin");
            await scope.ServiceProvider.GetRequiredService<PermissionAdmin>().SetAsync(Role.Analyst, Module.Reports, Operation.Export, false);
        }

        await Eventually(() => !permissionsB.Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));
    }

    [Fact]
    public async Task Both_hosts_running_the_reminder_pass_store_and_deliver_every_reminder_once()
    {
        // Mid-month on a fake clock: the first-of-the-month reminder stays out of this count, whatever today is.
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        await using var hostA = Host(clock);
        await using var hostB = Host(clock);
        _ = hostA.Server;
        _ = hostB.Server;
        Guid repId;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            var rep = db.Users.Single(u => u.ExternalId == "demo-salesrep");
            repId = rep.Id;
            var now = clock.GetUtcNow().UtcDateTime;
            // Everyone recently contacted, but two of the rep's active customers: not contacted for 100 days, those
            // turn silent (and their owner is told) and are reminded.
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, now));
            var quiet = db.Customers.Where(c => c.OwnerId == rep.Id).OrderBy(c => c.Number).Take(2).Select(c => c.Id).ToList();
            await db.Customers.Where(c => quiet.Contains(c.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.LastContactAt, now.AddDays(-100)).SetProperty(c => c.Status, CustomerStatuses.Active));
            var interaction = new CrmBlazor.Domain.Interactions.Interaction { CustomerId = quiet[0], Type = "phone", At = now.AddDays(-10), Topic = "旧电话", ByName = "test" };
            interaction.Todos.Add(new CrmBlazor.Domain.Interactions.TodoItem { CustomerId = quiet[0], What = "一小时后到期", OwnerId = rep.Id, DueAt = now.AddHours(1) });
            db.Interactions.Add(interaction);
            await db.SaveChangesAsync();
        }
        var deliveredOnB = new ConcurrentBag<LiveEvent>();
        using var subscription = hostB.Services.GetRequiredService<ILiveEvents>().Subscribe(e =>
        {
            if (e is NotificationsChanged)
            {
                deliveredOnB.Add(e);
            }
            return Task.CompletedTask;
        });

        async Task PassAsync(CrmAppFactory host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CrmBlazor.Domain.Interactions.ReminderJob>().RunAsync();
        }
        await Task.WhenAll(PassAsync(hostA), PassAsync(hostB), PassAsync(hostA), PassAsync(hostB));

        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var stored = check.Notifications.Where(n => n.UserId == repId).Select(n => n.Kind).ToList();
        Assert.Equal(5, stored.Count);
        Assert.Equal(2, stored.Count(k => k == CrmBlazor.Domain.Interactions.ReminderJob.NotContacted));
        Assert.Equal(2, stored.Count(k => k == CrmBlazor.Domain.Interactions.ReminderJob.TurnedSilent));
        Assert.Single(stored, k => k == CrmBlazor.Domain.Interactions.ReminderJob.TodoDueSoon);
        Assert.Equal(2, check.CustomerStatusChanges.Count());
        await Eventually(() => deliveredOnB.Count >= 5);
        await Task.Delay(300);
        Assert.Equal(5, deliveredOnB.Count);
        Assert.Equal(5, deliveredOnB.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Both_hosts_running_the_breach_pass_on_a_fake_clock_tell_the_owner_and_the_supervisor_once_per_demand()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var hostA = Host(clock);
        await using var hostB = Host(clock);
        _ = hostA.Server;
        _ = hostB.Server;
        var deadline = clock.GetUtcNow().UtcDateTime.AddHours(1);
        Guid demandId, repId, supervisorId;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            repId = db.Users.Single(u => u.ExternalId == "demo-salesrep").Id;
            supervisorId = db.Users.Single(u => u.ExternalId == "demo-supervisor").Id;
            var customerId = db.Customers.Where(c => c.OwnerId == repId).OrderBy(c => c.Number).Select(c => c.Id).First();
            var demand = new CrmBlazor.Domain.Demands.Demand
            {
                Number = "DE20990001", CustomerId = customerId, Description = "超时测试", Type = "existing",
                Priority = CrmBlazor.Domain.Demands.DemandPriority.High, OwnerId = repId, ResponseDueAt = deadline,
            };
            db.Demands.Add(demand);
            await db.SaveChangesAsync();
            demandId = demand.Id;
        }
        var deliveredOnB = new ConcurrentBag<NotificationsChanged>();
        using var subscription = hostB.Services.GetRequiredService<ILiveEvents>().Subscribe<NotificationsChanged>(e => { deliveredOnB.Add(e); return Task.CompletedTask; });

        async Task PassAsync(CrmAppFactory host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CrmBlazor.Domain.Demands.SlaBreachJob>().RunAsync();
        }
        List<Guid> BreachNotices()
        {
            using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
            return check.Notifications.Where(n => n.Kind == CrmBlazor.Domain.Notifications.NotificationKinds.SlaBreached && n.Subject == CrmBlazor.Domain.Notifications.NotificationSubject.Demand(demandId).ToString())
                .Select(n => n.UserId).ToList();
        }

        clock.SetUtcNow(deadline.AddMinutes(-1));
        await Task.WhenAll(PassAsync(hostA), PassAsync(hostB));
        Assert.Empty(BreachNotices());

        clock.SetUtcNow(deadline.AddMinutes(1));
        await Task.WhenAll(PassAsync(hostA), PassAsync(hostB), PassAsync(hostA), PassAsync(hostB));
        clock.Advance(TimeSpan.FromMinutes(30)); // the next passes: nothing new (the demo data's deadlines are hours away)
        await Task.WhenAll(PassAsync(hostA), PassAsync(hostB));

        Assert.Equal(new[] { repId, supervisorId }.Order(), BreachNotices().Order());
        await Eventually(() => deliveredOnB.Count(e => e.UserId == repId || e.UserId == supervisorId) >= 2);
        await Task.Delay(300);
        Assert.Equal(2, deliveredOnB.Count(e => e.UserId == repId || e.UserId == supervisorId));
    }

    [Fact]
    public async Task Both_hosts_checking_every_minute_evaluate_tiers_once_a_month()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 31, 15, 0, 0, TimeSpan.Zero)); // 23:00 on 31 March in Shanghai
        await using var hostA = Host(clock);
        await using var hostB = Host(clock);
        _ = hostA.Server;
        _ = hostB.Server;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            // The seeded tiers shuffled, so that the evaluation has work to do.
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, "C"));
            await db.TierEvaluationRuns.ExecuteDeleteAsync();
        }
        async Task<bool> PassAsync(CrmAppFactory host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CrmBlazor.Domain.Tiering.TierJob>().RunAsync();
        }
        async Task<bool[]> MinuteAsync() => await Task.WhenAll(PassAsync(hostA), PassAsync(hostB));

        var march = await MinuteAsync();
        int changesInMarch;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            changesInMarch = await db.TierChanges.CountAsync(c => !c.IsOverride);
        }
        clock.Advance(TimeSpan.FromMinutes(1));
        var marchAgain = await MinuteAsync();
        clock.Advance(TimeSpan.FromHours(1)); // April in Shanghai, still March in UTC
        var april = await MinuteAsync();

        Assert.Equal(1, march.Count(ran => ran));
        Assert.DoesNotContain(true, marchAgain);
        Assert.Equal(1, april.Count(ran => ran));
        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.Equal(2, await check.TierEvaluationRuns.CountAsync());
        Assert.True(changesInMarch > 0, "the shuffled tiers were put right");
        Assert.Equal(changesInMarch, await check.TierChanges.CountAsync(c => !c.IsOverride)); // April found nothing new to change
        Assert.Equal(changesInMarch, await check.TierChanges.Select(c => c.CustomerId).Distinct().CountAsync()); // one row per customer moved
        Assert.All(await check.TierChanges.ToListAsync(), c => Assert.Equal("monthly evaluation", c.ByName));
    }

    private static async Task<HubConnection> ConnectAsync(CrmAppFactory host, string demoUser)
    {
        var cookieHeader = await host.SignInCookieAsync(demoUser);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(host.Server.BaseAddress, "/hubs/live"), HttpTransportType.LongPolling, o =>
            {
                o.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
                o.Headers["Cookie"] = cookieHeader;
            })
            .Build();
        await connection.StartAsync();
        return connection;
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
}
