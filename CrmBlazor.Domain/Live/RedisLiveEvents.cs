using System.Text.Json;
using CrmBlazor.Domain.Common;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CrmBlazor.Domain.Live;

/// <summary>
/// Live events across instances: published to one Redis pub/sub channel, and delivered to local
/// subscribers only as they come back from Redis, so each instance delivers each event once. When
/// Redis cannot be reached the event is still delivered on this instance and the failure is logged;
/// the other instances get it from the outbox (<see cref="LiveEventCatchUp"/>) within a second or so,
/// and every page re-reads once when the subscription comes back.
/// </summary>
public sealed class RedisLiveEvents : ILiveEvents, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly LocalLiveEvents _local;
    private readonly ILogger<RedisLiveEvents> _logger;
    private readonly RedisChannel _channel;

    public RedisLiveEvents(IConnectionMultiplexer redis, LocalLiveEvents local, ILogger<RedisLiveEvents> logger, string channel = "crmblazor:live")
    {
        _redis = redis;
        _local = local;
        _logger = logger;
        _channel = RedisChannel.Literal(channel);
        // Never block start-up on Redis: subscribe in the background, and again whenever the
        // subscription connection comes back.
        _redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Subscription)
            {
                _ = ResubscribeAsync();
            }
        };
        _ = SubscribeAsync();
    }

    /// <summary>
    /// After a gap the outbox reader has already brought what pub/sub lost (<see cref="LiveEventCatchUp"/>); the pages
    /// re-read once anyway, as this instance cannot tell what it missed, and say live updates are back.
    /// </summary>
    private async Task ResubscribeAsync()
    {
        await SubscribeAsync();
        await _local.ResyncAsync("redis-restored");
    }

    private async Task SubscribeAsync()
    {
        try
        {
            var subscriber = _redis.GetSubscriber();
            await subscriber.UnsubscribeAsync(_channel, OnMessage);
            await subscriber.SubscribeAsync(_channel, OnMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Could not subscribe to Redis channel {Channel}; live events stay on this instance until Redis is back", _channel);
        }
    }

    public async Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        CrmMetrics.LiveEventPublished(liveEvent.GetType().Name);
        try
        {
            await _redis.GetSubscriber().PublishAsync(_channel, JsonSerializer.Serialize(liveEvent));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _logger.LogWarning(ex, "Redis is unreachable: {EventType} {EventId} is delivered on this instance only", liveEvent.GetType().Name, liveEvent.EventId);
            await _local.DeliverAsync(liveEvent);
        }
    }

    public IDisposable Subscribe(Func<LiveEvent, Task> handler) => _local.Subscribe(handler);

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        LiveEvent? liveEvent;
        try
        {
            liveEvent = JsonSerializer.Deserialize<LiveEvent>(message.ToString());
        }
        catch (JsonException ex)
        {
            _logger.LogWarning(ex, "Ignored a live event that could not be read");
            return;
        }
        if (liveEvent is not null)
        {
            _ = _local.DeliverAsync(liveEvent);
        }
    }

    /// <summary>
    /// Shutting down neither waits on Redis nor fails with it: the UNSUBSCRIBE is sent without waiting for the answer,
    /// and the subscription ends with the connection anyway. (A loaded Redis once took over 5 s to answer it.)
    /// </summary>
    public void Dispose()
    {
        try
        {
            _redis.GetSubscriber().Unsubscribe(_channel, flags: CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "Could not unsubscribe from Redis channel {Channel} while shutting down", _channel);
        }
    }
}
