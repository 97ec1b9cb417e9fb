using CrmBlazor.Domain.Access;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// Sets the circuit's <see cref="DisplayTime"/> to the user's chosen zone before the first render.
/// Runs after <see cref="Hosting.CurrentUserCircuitHandler"/>, which tells who the user is.
/// </summary>
public sealed class DisplayTimeCircuitHandler(DisplayTime displayTime, UserPreferences preferences) : CircuitHandler
{
    public override int Order => 100;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken) =>
        displayTime.Use(await preferences.TimeZoneAsync(cancellationToken));
}
