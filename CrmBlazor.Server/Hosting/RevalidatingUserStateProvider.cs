using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// A circuit keeps the user it started with; every <c>Auth:RevalidationInterval</c> (at most a minute) this checks the
/// session as a request would — stored stamp read fresh, absolute lifetime — and signs the circuit out otherwise
/// (ENGINEERING.md "Sign-in state", ASVS 8.3.2). The page then shows what a signed-out user sees: the sign-in page.
/// </summary>
public sealed class RevalidatingUserStateProvider(ILoggerFactory loggerFactory, SessionCheck sessions, IOptions<AuthSessionOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        await sessions.CheckAsync(authenticationState.User, cached: false, cancellationToken) == SessionVerdict.Valid;
}
