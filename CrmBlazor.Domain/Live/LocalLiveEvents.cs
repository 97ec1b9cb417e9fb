using System.Collections.Concurrent;
using CrmBlazor.Domain.Common;
using Microsoft.Extensions.Logging;

namespace CrmBlazor.Domain.Live;

/// <summary>In-process delivery: what a single instance needs, and the last hop of <see cref="RedisLiveEvents"/>.</summary>
public sealed class LocalLiveEvents(ILogger<LocalLiveEvents> logger) : ILiveEvents
{
    private readonly ConcurrentDictionary<Guid, Func<LiveEvent, Task>> _subscribers = new();
    private readonly RecentIds _delivered = new(capacity: 10_000);

    public Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        CrmMetrics.LiveEventPublished(liveEvent.GetType().Name);
        return DeliverAsync(liveEvent);
    }

    public IDisposable Subscribe(Func<LiveEvent, Task> handler)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = handler;
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    public int SubscriberCount => _subscribers.Count;

    /// <summary>
    /// Hands the event to every subscriber once; a second delivery of the same event id (Redis and the outbox both
    /// bring it) is dropped. Returns whether this was the first.
    /// </summary>
    public async Task<bool> DeliverAsync(LiveEvent liveEvent)
    {
        if (!_delivered.Add(liveEvent.EventId))
        {
            return false;
        }
        CrmMetrics.LiveEventReceived(liveEvent.GetType().Name);
        await HandAsync(liveEvent);
        return true;
    }

    /// <summary>
    /// Tells every listener on this instance to re-read its data once (<see cref="LiveResync"/>): this instance may have
    /// missed events (its Redis subscription came back, or it could not read the outbox for a while).
    /// </summary>
    public Task ResyncAsync(string reason)
    {
        logger.LogInformation("Live events: every open page re-reads its data ({Reason})", reason);
        CrmMetrics.LiveResync(reason);
        return HandAsync(new LiveResync(reason));
    }

    private async Task HandAsync(LiveEvent liveEvent)
    {
        foreach (var handler in _subscribers.Values)
        {
            try
            {
                await handler(liveEvent);
            }
#pragma warning disable CA1031 // One failing subscriber (a closed circuit) must not stop delivery to the others.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "A live-event subscriber failed on {EventType} {EventId}", liveEvent.GetType().Name, liveEvent.EventId);
            }
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private Action? _unsubscribe = unsubscribe;

        public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
    }

    /// <summary>A bounded set of the last ids seen, oldest forgotten first.</summary>
    private sealed class RecentIds(int capacity)
    {
        private readonly HashSet<Guid> _set = [];
        private readonly Queue<Guid> _order = new();
        private readonly Lock _lock = new();

        public bool Add(Guid id)
        {
            lock (_lock)
            {
                if (!_set.Add(id))
                {
                    return false;
                }
                _order.Enqueue(id);
                if (_order.Count > capacity)
                {
                    _set.Remove(_order.Dequeue());
                }
                return true;
            }
        }
    }
}
