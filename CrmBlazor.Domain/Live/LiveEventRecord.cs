using System.Text.Json;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmBlazor.Domain.Live;

/// <summary>
/// The outbox (docs/decisions/0017): a live event stored in the same transaction as the change it tells of. Redis
/// pub/sub is the fast path; every instance also reads these rows in <see cref="Position"/> order
/// (<see cref="LiveEventCatchUp"/>), so an event whose publisher died after the commit, or that was published
/// while Redis was down, still reaches every instance once.
/// </summary>
public sealed class LiveEventRecord
{
    /// <summary>Assigned by the database on insert; the order every instance reads in.</summary>
    public long Position { get; set; }

    public Guid EventId { get; set; }

    public string Payload { get; set; } = "";

    public DateTime RecordedAt { get; set; }

    /// <summary>Not stored: makes the event as the save goes out (after versions are stamped); see <see cref="LiveEventRecording"/>.</summary>
    internal Func<LiveEvent?>? Make { get; set; }

    /// <summary>Not stored: the event this row holds, in the context that saved it; null once published.</summary>
    internal LiveEvent? Unpublished { get; set; }

    internal void Fill(LiveEvent liveEvent)
    {
        EventId = liveEvent.EventId;
        Payload = JsonSerializer.Serialize(liveEvent);
        RecordedAt = liveEvent.OccurredAt;
        Unpublished = liveEvent;
    }

    public LiveEvent? Read() => JsonSerializer.Deserialize<LiveEvent>(Payload);
}

/// <summary>
/// How a service tells of a change: record the event with the change, save (and commit), then publish what was recorded.
/// <code>
/// db.RecordLiveEvent(() => new DemandChanged(demand.Id, ..., demand.Version, ...) { Audience = ... });
/// await db.SaveChangesAsync(ct);            // the event row goes in the same transaction
/// await db.PublishRecordedAsync(liveEvents); // after the commit: the fast path (Redis, this instance)
/// </code>
/// The factory runs while the save goes out, after the audit interceptor stamped the new versions, so the event carries
/// the version that was saved. If the process dies between the commit and the publish, <see cref="LiveEventCatchUp"/>
/// on every instance still delivers the event from its row.
/// </summary>
public static class LiveEventRecording
{
    /// <summary>
    /// Records the event that <paramref name="make"/> builds with the changes this context saves next; when it builds
    /// null (the save turned out to change nothing worth telling), nothing is recorded.
    /// </summary>
    public static void RecordLiveEvent(this CrmDbContext db, Func<LiveEvent?> make) =>
        db.LiveEventOutbox.Add(new LiveEventRecord { Make = make });

    /// <summary>Records <paramref name="liveEvent"/> (already complete) with the changes this context saves next, and returns it.</summary>
    public static T RecordLiveEvent<T>(this CrmDbContext db, T liveEvent) where T : LiveEvent
    {
        db.RecordLiveEvent(() => liveEvent);
        return liveEvent;
    }

    /// <summary>
    /// Publishes, in order, the events this context recorded and saved that are not yet published. Call it after the
    /// commit: an event published before it could make another page re-read the old data.
    /// </summary>
    public static async Task PublishRecordedAsync(this CrmDbContext db, ILiveEvents liveEvents, CancellationToken cancellationToken = default)
    {
        var saved = db.ChangeTracker.Entries<LiveEventRecord>()
            .Where(e => e.State == EntityState.Unchanged && e.Entity.Unpublished is not null)
            .Select(e => e.Entity).OrderBy(r => r.Position).ToList();
        foreach (var record in saved)
        {
            var liveEvent = record.Unpublished!;
            record.Unpublished = null;
            await liveEvents.PublishAsync(liveEvent, cancellationToken);
        }
    }
}

/// <summary>Builds recorded events as the save goes out (registered after the audit interceptor, which stamps versions).</summary>
internal sealed class LiveEventRecordInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Build(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Build(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Build(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        foreach (var entry in context.ChangeTracker.Entries<LiveEventRecord>().Where(e => e.State == EntityState.Added && e.Entity.Make is not null).ToList())
        {
            var liveEvent = entry.Entity.Make!();
            entry.Entity.Make = null;
            if (liveEvent is null)
            {
                entry.State = EntityState.Detached;
            }
            else
            {
                entry.Entity.Fill(liveEvent);
            }
        }
    }
}
