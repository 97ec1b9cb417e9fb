using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Live;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CrmBlazor.Bench;

/// <summary>
/// Live-event latency across instances (issue 4): two <see cref="RedisLiveEvents"/> buses, each with its
/// own Redis connection as two servers would have; publish on A, time until B's subscriber has it.
/// </summary>
public static class EventLatencyBenchmark
{
    public static async Task RunAsync(string redis, int count)
    {
        var channel = $"crmblazor:bench:{Guid.NewGuid():N}";
        using var connectionA = await ConnectionMultiplexer.ConnectAsync(redis);
        using var connectionB = await ConnectionMultiplexer.ConnectAsync(redis);
        using var busA = new RedisLiveEvents(connectionA, new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance), NullLogger<RedisLiveEvents>.Instance, channel);
        using var busB = new RedisLiveEvents(connectionB, new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance), NullLogger<RedisLiveEvents>.Instance, channel);
        await Task.Delay(500); // both subscriptions are in place

        var sent = new ConcurrentDictionary<Guid, long>();
        var latencies = new ConcurrentBag<double>();
        var received = 0;
        var done = new TaskCompletionSource();
        using var subscription = busB.Subscribe(e =>
        {
            if (sent.TryGetValue(e.EventId, out var start))
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (Interlocked.Increment(ref received) == count)
                {
                    done.TrySetResult();
                }
            }
            return Task.CompletedTask;
        });

        for (var i = 0; i < count; i++)
        {
            var liveEvent = new NotificationsChanged(Guid.NewGuid());
            sent[liveEvent.EventId] = Stopwatch.GetTimestamp();
            await busA.PublishAsync(liveEvent);
            await Task.Delay(2); // a steady stream, not one burst
        }
        await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(30)));

        var sorted = latencies.Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sorted.Count}/{count} events from bus A reached bus B through Redis {redis}: p50 {sorted[sorted.Count / 2]:F2} ms, p95 {sorted[(int)(sorted.Count * 0.95)]:F2} ms, max {sorted[^1]:F2} ms"));
    }
}
