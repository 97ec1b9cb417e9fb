using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Live;

/// <summary>
/// Reads the outbox (<see cref="LiveEventRecord"/>) in position order and hands every event this instance has not yet
/// delivered to its subscribers: what Redis lost (down, a blip) or never got (the publisher died after its commit).
/// Delivery is once per instance, as <see cref="LocalLiveEvents.DeliverAsync"/> drops an event id it already handed out.
/// <para>
/// Positions are taken at insert and become visible at commit, so a higher one can be seen before a lower one. The
/// reader remembers the missing positions below the highest it read and looks for them again on every pass, for
/// <see cref="LiveEventOptions.GapTimeout"/>; one still missing then belonged to a rolled-back transaction.
/// </para>
/// </summary>
public sealed class LiveEventCatchUp(DatabaseSettings database, LocalLiveEvents local, TimeProvider time, IOptions<LiveEventOptions> options, ILogger<LiveEventCatchUp> logger)
{
    private const int BatchSize = 1000;
    private const int MaxMissing = 1000;

    private readonly Dictionary<long, DateTimeOffset> _missing = [];
    private long? _readThrough;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>Positions below the highest read that have not been seen yet (and are still waited for).</summary>
    public int MissingCount => _missing.Count;

    /// <summary>
    /// One pass: the first pass only notes where the outbox ends (earlier events are history); later passes deliver what
    /// is new or was missing. Returns how many events this pass delivered that this instance had not had before.
    /// </summary>
    public async Task<int> PassAsync(CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var outbox = db.LiveEventOutbox.AsNoTracking();
        if (_readThrough is not { } readThrough)
        {
            _readThrough = await outbox.MaxAsync(r => (long?)r.Position, cancellationToken) ?? 0;
            return 0;
        }

        var delivered = 0;
        if (_missing.Count > 0)
        {
            var missing = _missing.Keys.ToList();
            foreach (var row in await outbox.Where(r => missing.Contains(r.Position)).ToListAsync(cancellationToken))
            {
                _missing.Remove(row.Position);
                delivered += await DeliverAsync(row) ? 1 : 0;
            }
        }

        var fresh = await outbox.Where(r => r.Position > readThrough).OrderBy(r => r.Position).Take(BatchSize).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var expected = readThrough + 1;
        foreach (var row in fresh)
        {
            for (; expected < row.Position && _missing.Count < MaxMissing; expected++)
            {
                _missing[expected] = now;
            }
            expected = row.Position + 1;
            delivered += await DeliverAsync(row) ? 1 : 0;
        }
        if (fresh.Count > 0)
        {
            _readThrough = fresh[^1].Position;
        }

        foreach (var (position, since) in _missing.Where(m => now - m.Value > options.Value.GapTimeout).ToList())
        {
            _missing.Remove(position);
            logger.LogDebug("Outbox position {Position} never committed (waited since {Since}): taken as rolled back", position, since);
        }

        if (now - _lastPrune > TimeSpan.FromMinutes(10))
        {
            // Measured from the newest row, not this instance's clock: an instance whose clock runs ahead cannot delete
            // rows the others have not read yet.
            _lastPrune = now;
            if (await outbox.MaxAsync(r => (DateTime?)r.RecordedAt, cancellationToken) is { } newest)
            {
                var cutoff = newest - options.Value.Retention;
                await db.LiveEventOutbox.Where(r => r.RecordedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
            }
        }
        return delivered;
    }

    private async Task<bool> DeliverAsync(LiveEventRecord row)
    {
        LiveEvent? liveEvent;
        try
        {
            liveEvent = row.Read();
        }
        catch (System.Text.Json.JsonException ex)
        {
            logger.LogWarning(ex, "Outbox position {Position} could not be read; skipped", row.Position);
            return false;
        }
        if (liveEvent is null || !await local.DeliverAsync(liveEvent))
        {
            return false;
        }
        CrmMetrics.LiveEventReplayed(liveEvent.GetType().Name);
        return true;
    }
}
