using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Webhooks;
using CrmBlazor.Tests.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Webhooks;

/// <summary>Issue 16: delivered and dead deliveries go after <c>Webhooks:KeepFor</c> (30 days); pending and failing ones stay.</summary>
public sealed class WebhookPruneTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deliveries_that_succeeded_or_died_over_thirty_days_ago_are_pruned_and_the_rest_kept(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        _ = app.Factory.Server; // migrated and seeded
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var endpoint = new WebhookEndpoint { Url = "https://erp.example.cn/hooks/crm", Secret = WebhookSignature.NewSecret(), EventTypes = WebhookEventTypes.CustomerCreated, CreatedAt = now.AddDays(-60) };
        var seeded = new Dictionary<string, (WebhookDeliveryStatus Status, int DaysAgo)>
        {
            ["old succeeded"] = (WebhookDeliveryStatus.Succeeded, 31),
            ["old dead"] = (WebhookDeliveryStatus.Dead, 31),
            ["old pending (retried by hand)"] = (WebhookDeliveryStatus.Pending, 31),
            ["old failed"] = (WebhookDeliveryStatus.Failed, 31),
            ["recent succeeded"] = (WebhookDeliveryStatus.Succeeded, 29),
            ["recent dead"] = (WebhookDeliveryStatus.Dead, 29),
        };
        await using (var db = app.NewSystemContext())
        {
            db.WebhookEndpoints.Add(endpoint);
            foreach (var (name, (status, daysAgo)) in seeded)
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    EndpointId = endpoint.Id, EventId = Guid.NewGuid(), EventType = WebhookEventTypes.CustomerCreated, Payload = $"{{\"name\":\"{name}\"}}",
                    Status = status, Attempts = 1, CreatedAt = now.AddDays(-daysAgo), NextAttemptAt = now.AddDays(-daysAgo),
                });
            }
            await db.SaveChangesAsync();
        }

        await app.Factory.Services.GetRequiredService<WebhookSender>().PruneAsync();

        await using (var db = app.NewSystemContext())
        {
            var left = (await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id).Select(d => d.Payload).ToListAsync())
                .Select(p => p[9..^2]).Order().ToList();
            Assert.Equal(["old failed", "old pending (retried by hand)", "recent dead", "recent succeeded"], left);
        }
    }
}
