using System.Collections.Concurrent;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace CrmBlazor.Server.Hubs;

/// <summary>This instance's live-hub connections, so that the ones whose session ended can be dropped.</summary>
public sealed class HubSessions
{
    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();

    public void Add(HubCallerContext connection) => _connections[connection.ConnectionId] = connection;

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public IReadOnlyList<HubCallerContext> Open => _connections.Values.ToList();

    /// <summary>Closes every connection of <paramref name="userId"/>; how many there were.</summary>
    public int AbortUser(Guid userId)
    {
        var theirs = _connections.Values.Where(c => c.User is { } u && SessionCheck.UserIdOf(u) == userId).ToList();
        theirs.ForEach(Abort);
        return theirs.Count;
    }

    public void Abort(HubCallerContext connection)
    {
        Remove(connection.ConnectionId);
        connection.Abort();
    }
}

/// <summary>
/// On the live hub only: a connection starts, and each call runs, only while its session is valid (stamp and absolute
/// lifetime, as for requests); open connections are tracked in <see cref="HubSessions"/>.
/// </summary>
public sealed class HubSessionFilter(SessionCheck sessions, HubSessions open) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await DemandValidAsync(context.Context);
        open.Add(context.Context);
        await next(context);
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        await DemandValidAsync(invocationContext.Context);
        return await next(invocationContext);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        open.Remove(context.Context.ConnectionId);
        return next(context, exception);
    }

    private async Task DemandValidAsync(HubCallerContext connection)
    {
        if (connection.User is null || await sessions.CheckAsync(connection.User, cached: true, connection.ConnectionAborted) != SessionVerdict.Valid)
        {
            open.Abort(connection);
            throw new HubException("The session has ended: sign in again.");
        }
    }
}
