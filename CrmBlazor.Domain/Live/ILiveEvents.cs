namespace CrmBlazor.Domain.Live;

/// <summary>
/// The live-event bus (SPEC C4, J3). Domain services publish after a successful save; the host's
/// circuits and hub subscribe. In-process by default; through Redis pub/sub when configured, so that
/// every instance's subscribers see every event exactly once.
/// </summary>
public interface ILiveEvents
{
    Task PublishAsync(LiveEvent liveEvent, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="handler"/> for every event until the returned handle is disposed.</summary>
    IDisposable Subscribe(Func<LiveEvent, Task> handler);
}

public static class LiveEventsExtensions
{
    /// <summary>Subscribes to one kind of event.</summary>
    public static IDisposable Subscribe<T>(this ILiveEvents events, Func<T, Task> handler) where T : LiveEvent =>
        events.Subscribe(e => e is T typed ? handler(typed) : Task.CompletedTask);
}
