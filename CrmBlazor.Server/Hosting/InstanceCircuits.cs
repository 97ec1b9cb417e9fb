using System.Collections.Concurrent;
using CrmBlazor.Domain.Common;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CrmBlazor.Server.Hosting;

/// <summary>The circuits open on this instance and whose they are: the status page's counts and <c>crm.circuits.open</c>.</summary>
public sealed class InstanceCircuits
{
    private readonly ConcurrentDictionary<string, Guid?> _open = new();

    public int Count => _open.Count;

    /// <summary>Distinct signed-in users with at least one circuit on this instance.</summary>
    public int SignedInUsers => _open.Values.OfType<Guid>().Distinct().Count();

    internal void Opened(string circuitId, Guid? userId)
    {
        if (_open.TryAdd(circuitId, userId))
        {
            CrmMetrics.CircuitOpened();
        }
    }

    internal void Closed(string circuitId)
    {
        if (_open.TryRemove(circuitId, out _))
        {
            CrmMetrics.CircuitClosed();
        }
    }
}

/// <summary>Tells <see cref="InstanceCircuits"/> when this circuit opens and closes.</summary>
public sealed class CircuitCountingHandler(InstanceCircuits circuits, AuthenticationStateProvider authenticationState) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var user = ClaimsCurrentUser.From((await authenticationState.GetAuthenticationStateAsync()).User);
        circuits.Opened(circuit.Id, user.UserId);
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        circuits.Closed(circuit.Id);
        return Task.CompletedTask;
    }
}
