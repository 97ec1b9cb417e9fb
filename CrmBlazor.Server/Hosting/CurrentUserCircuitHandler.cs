using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CrmBlazor.Server.Hosting;

/// <summary>Keeps the circuit's <see cref="ClaimsCurrentUser"/> equal to its authentication state.</summary>
public sealed class CurrentUserCircuitHandler(AuthenticationStateProvider authenticationState, ClaimsCurrentUser currentUser)
    : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        currentUser.MarkInCircuit();
        authenticationState.AuthenticationStateChanged += OnChanged;
        currentUser.Set((await authenticationState.GetAuthenticationStateAsync()).User);
    }

    private void OnChanged(Task<AuthenticationState> state) =>
        _ = state.ContinueWith(t => currentUser.Set(t.Result.User), TaskScheduler.Default);

    public void Dispose() => authenticationState.AuthenticationStateChanged -= OnChanged;
}
