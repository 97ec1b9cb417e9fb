using CrmBlazor.Domain.Live;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// The fault-injection hook of <see cref="LiveEventOptions.CrashBeforePublishing"/>: ends the process without a graceful
/// stop when an event of the configured kind is about to be published, i.e. after its change was committed. Wired only
/// outside Production, and only when the setting is present.
/// </summary>
public sealed class CrashBeforePublishing(ILiveEvents inner, string kind, ILogger<CrashBeforePublishing> logger) : ILiveEvents
{
    public Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default)
    {
        if (liveEvent.GetType().Name == kind)
        {
            logger.LogCritical("Test hook LiveEvents:CrashBeforePublishing: ending the process before publishing {EventType} {EventId}", kind, liveEvent.EventId);
            Environment.FailFast($"Test hook LiveEvents:CrashBeforePublishing ({kind})"); // no ProcessExit handlers, no graceful stop
        }
        return inner.PublishAsync(liveEvent, cancellationToken);
    }

    public IDisposable Subscribe(Func<LiveEvent, Task> handler) => inner.Subscribe(handler);
}
