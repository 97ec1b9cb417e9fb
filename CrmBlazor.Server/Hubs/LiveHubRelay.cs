using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Live;
using Microsoft.AspNetCore.SignalR;

namespace CrmBlazor.Server.Hubs;

/// <summary>
/// Fans every live event that reaches this instance out to this instance's hub connections, and keeps
/// instance-wide state (the permission matrix) in step with events from the others.
/// </summary>
public sealed class LiveHubRelay(ILiveEvents liveEvents, IHubContext<LiveHub> hub, LiveConnections connections, Permissions permissions)
    : IHostedService, IDisposable
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = liveEvents.Subscribe(OnEventAsync);
        return Task.CompletedTask;
    }

    private async Task OnEventAsync(LiveEvent liveEvent)
    {
        if (liveEvent is LiveResync)
        {
            return; // local to this instance's pages; hub clients re-read on their own reconnect
        }
        if (liveEvent is PermissionsChanged)
        {
            await permissions.ReloadAsync();
        }
        var targets = connections.For(liveEvent);
        if (targets.Count > 0)
        {
            var kind = JsonSerializer.SerializeToElement(liveEvent).GetProperty("kind").GetString();
            await hub.Clients.Clients(targets).SendAsync(LiveHub.EventMethod, kind, liveEvent);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }
}
