using System.Collections.Concurrent;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Live;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CrmBlazor.Server.Hubs;

/// <summary>
/// Live events for clients outside Blazor (other tabs' scripts, integrations). A connection receives
/// <c>event(kind, payload)</c> for every event whose audience includes its user.
/// </summary>
[Authorize]
public sealed class LiveHub(LiveConnections connections) : Hub
{
    public const string EventMethod = "event";

    public override Task OnConnectedAsync()
    {
        connections.Add(Context.ConnectionId, Audience.Of(ClaimsCurrentUser.From(Context.User!)));
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}

/// <summary>This instance's hub connections and the audience groups each belongs to.</summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _groups = new();

    public void Add(string connectionId, IReadOnlyList<string> groups) => _groups[connectionId] = groups;

    public void Remove(string connectionId) => _groups.TryRemove(connectionId, out _);

    /// <summary>Each connection at most once, however many of its groups the event names.</summary>
    public IReadOnlyList<string> For(LiveEvent liveEvent) =>
        _groups.Where(c => c.Value.Any(liveEvent.Audience.Contains)).Select(c => c.Key).ToList();
}
