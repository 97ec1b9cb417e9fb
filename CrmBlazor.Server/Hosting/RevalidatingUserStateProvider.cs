using CrmBlazor.Domain.Access;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// A circuit keeps the user it started with; every few minutes this checks that the user is still
/// active with the same roles, and signs the circuit out otherwise (ENGINEERING.md "Sign-in state").
/// </summary>
public sealed class RevalidatingUserStateProvider(ILoggerFactory loggerFactory, IServiceScopeFactory scopes)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(5);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = ClaimsCurrentUser.From(authenticationState.User);
        if (user.UserId is not { } userId)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserDirectory>().IsStillValidAsync(userId, user.Roles, cancellationToken);
    }
}
