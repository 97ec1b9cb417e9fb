using System.Globalization;
using System.Security.Claims;
using CrmBlazor.Server.Hubs;
using CrmBlazor.Server.Jobs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// Sessions that end when access ends (ASVS 8.3.2). The auth cookie carries the user's security stamp and sign-in time;
/// every request checks both (the stamp cached for <c>Auth:StampCacheDuration</c>), circuits and hub connections every
/// <c>Auth:RevalidationInterval</c>, and a <see cref="Domain.Live.UserAccessChanged"/> drops the user's hub connections
/// and cached stamp on every instance at once.
/// </summary>
public static class SessionHosting
{
    public static IServiceCollection AddCrmSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthSessionOptions>()
            .Bind(configuration.GetSection(AuthSessionOptions.Section))
            .Validate(o => o.AbsoluteLifetime > TimeSpan.Zero, "Auth:AbsoluteLifetime must be longer than zero.")
            .Validate(o => o.RevalidationInterval > TimeSpan.Zero && o.RevalidationInterval <= TimeSpan.FromMinutes(1),
                "Auth:RevalidationInterval must be longer than zero and at most a minute.")
            .Validate(o => o.StampCacheDuration >= TimeSpan.Zero && o.StampCacheDuration <= TimeSpan.FromMinutes(1),
                "Auth:StampCacheDuration must be between zero and a minute.")
            .ValidateOnStart();
        services.AddSingleton<SessionCheck>();
        services.AddSingleton<HubSessions>();
        services.AddSingleton<HubSessionFilter>();
        services.AddHostedService<SessionRevocationHost>();

        services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            var previousSigningIn = options.Events.OnSigningIn;
            options.Events.OnSigningIn = async context =>
            {
                if (context.Principal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == CrmClaims.SignedInAt))
                {
                    var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                    identity.AddClaim(new Claim(CrmClaims.SignedInAt, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
                }
                await previousSigningIn(context);
            };
            var previousValidate = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                await previousValidate(context);
                if (context.Principal is not { } principal)
                {
                    return;
                }
                var sessions = context.HttpContext.RequestServices.GetRequiredService<SessionCheck>();
                var verdict = await sessions.CheckAsync(principal, cached: true, context.HttpContext.RequestAborted);
                if (verdict != SessionVerdict.Valid)
                {
                    context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SessionHosting))
                        .LogInformation("Session of user {UserId} ended: {Verdict}", SessionCheck.UserIdOf(principal), verdict);
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(context.Scheme.Name);
                }
            };
        });
        return services;
    }
}
