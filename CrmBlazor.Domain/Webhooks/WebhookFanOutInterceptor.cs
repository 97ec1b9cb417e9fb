using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmBlazor.Domain.Webhooks;

/// <summary>
/// The webhook outbox (docs/decisions/0021): every live event this save records that an integrator may care about becomes
/// a <see cref="WebhookDelivery"/> per enabled endpoint subscribed to its type, in the same save, so the change and its
/// deliveries commit or roll back together. Registered after <see cref="LiveEventRecordInterceptor"/>, which builds the events.
/// </summary>
internal sealed class WebhookFanOutInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is CrmDbContext db && Candidates(db) is { Count: > 0 } candidates)
        {
            FanOut(db, candidates, db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).ToList());
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is CrmDbContext db && Candidates(db) is { Count: > 0 } candidates)
        {
            FanOut(db, candidates, await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).ToListAsync(cancellationToken));
        }
        return result;
    }

    private static List<(Guid EventId, string Type, object Data)> Candidates(CrmDbContext db)
    {
        var recorded = db.ChangeTracker.Entries<LiveEventRecord>()
            .Where(e => e.State == EntityState.Added && e.Entity.Unpublished is not null).Select(e => e.Entity.Unpublished!).ToList();
        if (recorded.Count == 0)
        {
            return [];
        }
        var fannedOut = db.ChangeTracker.Entries<WebhookDelivery>().Select(e => e.Entity.EventId).ToHashSet();
        var candidates = new List<(Guid, string, object)>();
        foreach (var liveEvent in recorded.Where(e => !fannedOut.Contains(e.EventId)))
        {
            if (WebhookEvents.From(liveEvent, db.ChangeTracker) is { } webhook)
            {
                candidates.Add((liveEvent.EventId, webhook.Type, webhook.Data));
            }
        }
        return candidates;
    }

    private void FanOut(CrmDbContext db, List<(Guid EventId, string Type, object Data)> candidates, List<WebhookEndpoint> endpoints)
    {
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var (eventId, type, data) in candidates)
        {
            var subscribed = endpoints.Where(e => e.Subscribes(type)).ToList();
            if (subscribed.Count == 0)
            {
                continue;
            }
            var payload = new WebhookMessage(eventId, type, now, data).Serialize();
            foreach (var endpoint in subscribed)
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    EndpointId = endpoint.Id,
                    EventId = eventId,
                    EventType = type,
                    Payload = payload,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
            }
        }
    }
}
