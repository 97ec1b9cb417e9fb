using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CrmBlazor.Tests.Live;

public sealed class RedisLiveEventsTests
{
    /// <summary>
    /// CI once failed a whole run when a loaded Redis took over 5 s to answer the UNSUBSCRIBE sent as a test host shut
    /// down: shutting down must not wait on Redis nor throw, as the subscription ends with the connection anyway.
    /// </summary>
    [Fact]
    public async Task Disposing_while_Redis_does_not_answer_neither_throws_nor_waits_for_it()
    {
        await using var server = await RedisServer.StartAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.Configuration},syncTimeout=1000,asyncTimeout=1000");
        var liveEvents = new RedisLiveEvents(redis, new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance), NullLogger<RedisLiveEvents>.Instance, $"crmblazor:test:{Guid.NewGuid():N}");
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = liveEvents.Subscribe(_ => { received.TrySetResult(); return Task.CompletedTask; });
        for (var attempt = 0; attempt < 50 && !received.Task.IsCompleted; attempt++)
        {
            await liveEvents.PublishAsync(new PermissionsChanged()); // the subscription is made in the background
            await Task.WhenAny(received.Task, Task.Delay(200));
        }
        Assert.True(received.Task.IsCompleted, "events did not come back through Redis");

        await server.FreezeAsync();
        var disposing = Task.Run(liveEvents.Dispose);

        await disposing.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(disposing.IsCompletedSuccessfully);
    }
}
