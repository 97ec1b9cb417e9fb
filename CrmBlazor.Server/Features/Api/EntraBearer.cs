using System.Security.Claims;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Identity.Web;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// The API's Entra branch: <c>Authorization: Bearer</c> with an access token (anything but a <c>crm_</c> key). With an
/// <c>AzureAd</c> section, Microsoft.Identity.Web validates it (<c>AddMicrosoftIdentityWebApi</c>: the tenant's issuer and keys,
/// audience <c>AzureAd:Audience</c> or the client id, a <c>scp</c> or <c>roles</c> claim). Without one (Development), the scheme
/// exists but knows no issuer or key, so it accepts no token. A valid token then becomes a CrmBlazor caller:
/// an application token (roles, no <c>scp</c>) its application's service account (<see cref="EntraApplications"/>), a
/// delegated token (<c>scp</c>) the signed-in user's own account, roles and scope (<see cref="UserDirectory.FindSignedInAsync"/>).
/// </summary>
public static class EntraBearer
{
    public const string SchemeName = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>The claim naming the Entra application a request came from (its id: <c>azp</c> / <c>appid</c>).</summary>
    public const string ApplicationClaim = "crm:api-app";

    /// <summary>Whether a request carries a bearer token that is not an API key (the policy scheme's choice).</summary>
    public static bool Presents(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    public static AuthenticationBuilder AddEntraBearer(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var azureAd = configuration.GetSection("AzureAd");
        if (azureAd.Exists())
        {
            authentication.AddMicrosoftIdentityWebApi(azureAd, SchemeName);
        }
        else
        {
            authentication.AddJwtBearer(SchemeName, _ => { });
        }
        var configuredTenant = azureAd["TenantId"];
        authentication.Services.Configure<JwtBearerOptions>(SchemeName, options =>
        {
            // Claim names as the token spells them (oid, tid, scp, roles, azp), not the WS-Federation URIs.
            options.MapInboundClaims = false;
            var previous = options.Events.OnTokenValidated;
            options.Events.OnTokenValidated = async context =>
            {
                await previous(context);
                if (context.Result is null)
                {
                    await ActAsCallerAsync(context, configuredTenant);
                }
            };
        });
        return authentication;
    }

    /// <summary>Replaces the token's identity by the CrmBlazor caller it stands for, or fails the authentication.</summary>
    private static async Task ActAsCallerAsync(TokenValidatedContext context, string? configuredTenant)
    {
        var token = context.Principal ?? new ClaimsPrincipal();
        var tenantId = First(token, "tid", "http://schemas.microsoft.com/identity/claims/tenantid");
        if (configuredTenant is not null && !SignInHosting.IsConfiguredTenant(tenantId, configuredTenant))
        {
            context.Fail($"The token's tenant {tenantId ?? "(none)"} is not the configured tenant.");
            return;
        }
        var cancellationToken = context.HttpContext.RequestAborted;
        var services = context.HttpContext.RequestServices;
        SignedInUser? caller;
        string? application = null;
        if (First(token, "scp", "http://schemas.microsoft.com/identity/claims/scope") is not null)
        {
            var objectId = First(token, "oid", "http://schemas.microsoft.com/identity/claims/objectidentifier");
            if (objectId is null)
            {
                context.Fail("The delegated token carries no object id (oid).");
                return;
            }
            var signInNames = new[] { "preferred_username", "email", "upn", ClaimTypes.Upn, ClaimTypes.Email }
                .Select(token.FindFirstValue).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            caller = await services.GetRequiredService<UserDirectory>().FindSignedInAsync(objectId, tenantId, signInNames, cancellationToken);
        }
        else
        {
            application = First(token, "azp", "appid");
            if (application is null)
            {
                context.Fail("The application token names no application (azp / appid).");
                return;
            }
            var appRoles = token.FindAll("roles").Concat(token.FindAll(ClaimTypes.Role)).Select(c => c.Value);
            caller = await services.GetRequiredService<EntraApplications>()
                .SignInAsync(application, tenantId, First(token, "app_displayname"), appRoles, cancellationToken);
        }
        if (caller is null)
        {
            context.Fail("The token's user or application has no access to CrmBlazor.");
            return;
        }
        var identity = CrmClaims.Identity(caller, SchemeName);
        if (application is not null)
        {
            identity.AddClaim(new Claim(ApplicationClaim, application));
        }
        context.Principal = new ClaimsPrincipal(identity);
    }

    private static string? First(ClaimsPrincipal principal, params string[] types) =>
        types.Select(principal.FindFirstValue).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
