using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Webhooks;
using CrmBlazor.Tests.Api;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Webhooks;

/// <summary>
/// Issue 16, webhooks: deliveries written with the change, signed (Standard Webhooks), sent by the real sender of the real
/// app to a real receiver on loopback; retried on the fake clock; once across two instances; never following a redirect;
/// a failing endpoint disabled and the Admins told.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static readonly string[] CustomerEvents = [WebhookEventTypes.CustomerCreated, WebhookEventTypes.CustomerUpdated, WebhookEventTypes.CustomerStatusChanged];

    private static Dictionary<string, string?> Settings(int disableAfter = 20, int batch = 50, string retryFor = "1.00:00:00") => new()
    {
        ["Webhooks:RetryFor"] = retryFor,
        ["Webhooks:PollInterval"] = "00:00:00.050",
        ["Webhooks:DisableAfterFailures"] = disableAfter.ToString(CultureInfo.InvariantCulture),
        ["Webhooks:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Customer_changes_arrive_signed_so_the_receiver_can_verify_them_with_the_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite, Settings());
        var (admin, endpointId, secret) = await RegisterAsync(app, receiver.Url, CustomerEvents);

        var created = await CreateCustomerAsync(app, "杭州网钩签名科技有限公司");
        var updated = await app.AsAsync<CustomerService, Customer>("demo-admin", s => s.UpdateAsync(created.Id, created.Version, CustomerInputs.From(created) with { Notes = "ERP 同步" }));
        await app.AsAsync<CustomerService, Customer>("demo-admin", s => s.ChangeStatusAsync(created.Id, updated.Version, CustomerStatuses.Active, "签约"));
        await Eventually(() => Task.FromResult(receiver.Accepted.Count >= 3), "three deliveries");

        var received = receiver.Accepted;
        Assert.All(received, r => Assert.True(WebhookReceiver.IsSignedWith(secret, r), $"signature of {r.Id}"));
        Assert.False(WebhookReceiver.IsSignedWith(WebhookSignature.NewSecret(), received[0]));
        Assert.False(WebhookReceiver.IsSignedWith(secret, received[0] with { Body = received[0].Body + " " }));
        Assert.All(received, r => Assert.Equal(ApiTestApp.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), r.Timestamp));
        var bodies = received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equivalent(CustomerEvents, bodies.Select(b => b.GetProperty("type").GetString()).ToArray(), strict: true);
        Assert.All(bodies, b => Assert.Equal(created.Id, b.GetProperty("data").GetProperty("customerId").GetGuid()));
        var statusChanged = bodies.Single(b => b.GetProperty("type").GetString() == WebhookEventTypes.CustomerStatusChanged);
        Assert.Equal(CustomerStatuses.Active, statusChanged.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(created.Number, statusChanged.GetProperty("data").GetProperty("number").GetString());

        // The Admin sees each delivery succeeded; no listing shows the secret again.
        Assert.DoesNotContain(secret["whsec_".Length..], await admin.GetStringAsync("/api/v1/webhooks"), StringComparison.Ordinal);
        // The sender records the answer after the receiver has it: wait for that write, then read the listing.
        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).All(d => d.Status == WebhookDeliveryStatus.Succeeded), "all recorded as succeeded");
        var deliveries = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{endpointId}/deliveries");
        Assert.Equal(3, deliveries.GetArrayLength());
        Assert.All(deliveries.EnumerateArray(), d => Assert.Equal("succeeded", d.GetProperty("status").GetString()));
        Assert.Equal(received.Select(r => r.Id).Order(), deliveries.EnumerateArray().Select(d => d.GetProperty("id").GetString()!).Order());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_receiver_down_for_a_while_gets_every_event_once_when_it_is_back(DatabaseProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = 503;
        await using var app = await ApiTestApp.CreateAsync(provider, Settings());
        var (_, endpointId, _) = await RegisterAsync(app, receiver.Url, CustomerEvents);
        var customers = new List<Customer>();
        for (var i = 0; i < 5; i++)
        {
            customers.Add(await CreateCustomerAsync(app, $"苏州停机{i}号贸易有限公司"));
        }

        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).All(d => d.Status == WebhookDeliveryStatus.Failed && d.Attempts == 1), "first attempts failed");
        app.Clock.Advance(TimeSpan.FromSeconds(10)); // the first retry is due after 10 s
        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).All(d => d.Attempts == 2), "second attempts");
        var failing = await DeliveriesAsync(app, endpointId);
        Assert.All(failing, d => Assert.Equal(WebhookDeliveryStatus.Failed, d.Status));
        Assert.All(failing, d => Assert.Equal(ApiTestApp.Start.UtcDateTime.AddSeconds(10 + 20), d.NextAttemptAt)); // then 20 s: doubling
        Assert.All(failing, d => Assert.Equal(503, d.LastStatusCode));

        receiver.Answer = 200;
        app.Clock.Advance(TimeSpan.FromSeconds(19));
        await Task.Delay(300); // a few sender passes: nothing is due before its time
        Assert.Empty(receiver.Accepted);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).All(d => d.Status == WebhookDeliveryStatus.Succeeded), "all succeeded");

        var accepted = receiver.Accepted;
        Assert.Equal(5, accepted.Count);
        Assert.Equal(5, accepted.Select(r => r.Id).Distinct().Count());
        Assert.Equal(10, receiver.Requests.Count(r => r.Answered == 503));
        Assert.Equivalent(customers.Select(c => c.Id), accepted.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("customerId").GetGuid()), strict: true);
        Assert.All(await DeliveriesAsync(app, endpointId), d => Assert.Equal(3, d.Attempts));
    }

    [Fact]
    public async Task Two_hosts_sharing_the_database_deliver_each_event_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Delay = TimeSpan.FromMilliseconds(20);
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Postgres, Settings(batch: 3));
        await using var second = app.NewHost();
        _ = second.Server; // its sender runs too
        var (_, endpointId, secret) = await RegisterAsync(app, receiver.Url, CustomerEvents);
        const int count = 30;
        for (var i = 0; i < count; i++)
        {
            await CreateCustomerAsync(app, $"上海双机{i}号信息技术有限公司");
        }

        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).All(d => d.Status == WebhookDeliveryStatus.Succeeded), "all succeeded");
        await Task.Delay(300); // a late duplicate would show up here

        var deliveries = await DeliveriesAsync(app, endpointId);
        Assert.Equal(count, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
        Assert.Equal(count, receiver.Requests.Count);
        Assert.Equal(count, receiver.Requests.Select(r => r.Id).Distinct().Count());
        Assert.All(receiver.Requests, r => Assert.True(WebhookReceiver.IsSignedWith(secret, r)));
    }

    [Fact]
    public async Task A_redirect_to_another_host_is_not_followed_and_the_delivery_fails()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = 302;
        receiver.RedirectTo = elsewhere.Url;
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite, Settings());
        var (_, endpointId, _) = await RegisterAsync(app, receiver.Url, CustomerEvents);

        await CreateCustomerAsync(app, "广州跳转测试有限公司");
        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).Any(d => d.Attempts == 1), "the attempt");

        var delivery = Assert.Single(await DeliveriesAsync(app, endpointId));
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(302, delivery.LastStatusCode);
        Assert.Contains(elsewhere.Url, delivery.LastError, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task An_endpoint_failing_n_times_in_a_row_is_disabled_the_admins_told_and_a_dead_delivery_retried_by_hand_arrives()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = 500;
        // Retried for a minute only: the third attempt (at 30 s, the next due at 70 s) is the last.
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite, Settings(disableAfter: 3, retryFor: "00:01:00"));
        var (admin, endpointId, _) = await RegisterAsync(app, receiver.Url, CustomerEvents);
        await CreateCustomerAsync(app, "成都停用测试有限公司");

        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).Single().Attempts == 1, "attempt 1");
        app.Clock.Advance(TimeSpan.FromSeconds(10));
        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).Single().Attempts == 2, "attempt 2");
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).Single().Attempts == 3, "attempt 3");
        await Eventually(async () =>
        {
            await using var db = app.NewSystemContext();
            return await db.Notifications.AnyAsync(n => n.Kind == WebhookSender.EndpointDisabledKind);
        }, "the Admins told"); // the sender writes the attempt, then disables the endpoint, then notifies

        await using (var db = app.NewSystemContext())
        {
            var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == endpointId);
            Assert.False(endpoint.Enabled);
            Assert.Equal(3, endpoint.ConsecutiveFailures);
            Assert.Contains("500", endpoint.DisabledReason, StringComparison.Ordinal);
            var admins = (await db.Users.AsNoTracking().Where(u => u.IsActive).ToListAsync()).Where(u => u.RoleSet.Contains(Role.Admin) && u.ExternalId == "demo-admin").Select(u => u.Id).ToList();
            var told = await db.Notifications.Where(n => n.Kind == WebhookSender.EndpointDisabledKind).ToListAsync();
            Assert.Single(told, n => admins.Contains(n.UserId));
            Assert.Contains(receiver.Url, told[0].Values, StringComparison.Ordinal);
            Assert.Equal(WebhookDeliveryStatus.Dead, (await db.WebhookDeliveries.SingleAsync(d => d.EndpointId == endpointId)).Status);
        }
        app.Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(300);
        Assert.Equal(3, receiver.Requests.Count); // disabled: nothing more is sent

        receiver.Answer = 200;
        using var enabled = await admin.PutAsJsonAsync($"/api/v1/webhooks/{endpointId}/enabled", new { enabled = true });
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        await Task.Delay(300);
        Assert.Equal(3, receiver.Requests.Count); // enabled again, but a dead delivery waits for a hand
        var delivery = (await DeliveriesAsync(app, endpointId)).Single();
        using var retried = await admin.PostAsync($"/api/v1/webhooks/deliveries/{delivery.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        await Eventually(async () => (await DeliveriesAsync(app, endpointId)).Single().Status == WebhookDeliveryStatus.Succeeded, "the retry");
        Assert.Single(receiver.Accepted);
        using var again = await admin.PostAsync($"/api/v1/webhooks/deliveries/{delivery.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Deliveries_commit_and_roll_back_with_the_change_that_recorded_them()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        var (_, endpointId, _) = await RegisterAsync(app, "http://127.0.0.1:9/hooks/crm", [WebhookEventTypes.CustomerCreated]);

        await using (var db = app.NewSystemContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var rolledBack = new Customer { Number = "C-ROLLBACK-1", Name = "回滚测试有限公司" };
            db.Customers.Add(rolledBack);
            db.RecordLiveEvent(() => new CustomerChanged(rolledBack.Id, rolledBack.Version, null, "test"));
            await db.SaveChangesAsync();
            Assert.Single(await db.WebhookDeliveries.Where(d => d.EndpointId == endpointId).ToListAsync());
            await transaction.RollbackAsync();
        }
        Assert.Empty(await DeliveriesAsync(app, endpointId));

        await using (var db = app.NewSystemContext())
        {
            var committed = new Customer { Number = "C-COMMIT-1", Name = "提交测试有限公司" };
            db.Customers.Add(committed);
            db.RecordLiveEvent(() => new CustomerChanged(committed.Id, committed.Version, null, "test"));
            await db.SaveChangesAsync();
            var delivery = Assert.Single(await DeliveriesAsync(app, endpointId));
            Assert.Equal(WebhookEventTypes.CustomerCreated, delivery.EventType);
            Assert.Equal(await db.LiveEventOutbox.Where(r => r.Payload.Contains(committed.Id.ToString())).Select(r => r.EventId).SingleAsync(), delivery.EventId);
        }
    }

    [Fact]
    public async Task Only_an_admin_manages_webhooks_and_a_bad_registration_is_a_validation_problem()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var rep = app.Client((await app.IssueKeyAsync("Rep", Role.SalesRep)).Token);
        using var admin = app.Client((await app.IssueKeyAsync("Ops", Role.Admin)).Token);

        using var refused = await rep.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://erp.example.cn/hooks", eventTypes = CustomerEvents });
        using var listRefused = await rep.GetAsync("/api/v1/webhooks");
        using var invalid = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://erp.example.cn/hooks", eventTypes = new[] { "customer.exploded" } });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, listRefused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("url", out _) || errors.TryGetProperty("Url", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("eventTypes", out _) || errors.TryGetProperty("EventTypes", out _), errors.ToString());
        await using var db = app.NewSystemContext();
        Assert.Empty(await db.WebhookEndpoints.ToListAsync());
    }

    private static async Task<(HttpClient Admin, Guid EndpointId, string Secret)> RegisterAsync(ApiTestApp app, string url, string[] eventTypes)
    {
        var admin = app.Client((await app.IssueKeyAsync("Ops", Role.Admin)).Token);
        using var response = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, description = "ERP", eventTypes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (admin, body.GetProperty("endpoint").GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    private static Task<Customer> CreateCustomerAsync(ApiTestApp app, string name) =>
        app.AsAsync<CustomerService, Customer>("demo-admin", s => s.CreateAsync(CustomerInputs.New(name), new ContactInput("联系人")));

    private static async Task<List<WebhookDelivery>> DeliveriesAsync(ApiTestApp app, Guid endpointId)
    {
        await using var db = app.NewSystemContext();
        return await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId).ToListAsync();
    }

    /// <summary>Waits for the senders (they poll every 50 ms), up to about 30 seconds, counting its own waits rather than reading a clock.</summary>
    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"Not within 30 seconds: {what}");
    }
}
