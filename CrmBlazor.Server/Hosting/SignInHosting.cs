using System.Security.Claims;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Identity.Web;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// SPEC A1. With an <c>AzureAd</c> section: Microsoft.Identity.Web OpenID Connect, app roles from the
/// <c>roles</c> claim. Without one, in Development only: a cookie and a page listing the demo users.
/// Anywhere else without one the app refuses to start.
/// </summary>
public static class SignInHosting
{
    public const string SignInPath = "/account/signin";
    public static readonly string[] RequiredAzureAdKeys = ["Instance", "TenantId", "ClientId"];

    public static bool UsesAzureAd(this IConfiguration configuration) => configuration.GetSection("AzureAd").Exists();

    public static WebApplicationBuilder AddCrmSignIn(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var azureAd = builder.Configuration.GetSection("AzureAd");
        if (azureAd.Exists())
        {
            var missing = RequiredAzureAdKeys.Where(k => string.IsNullOrWhiteSpace(azureAd[k])).Select(k => $"AzureAd:{k}").ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"The AzureAd section is incomplete: set {string.Join(", ", missing)}.");
            }
            services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApp(azureAd);
            services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                options.TokenValidationParameters.RoleClaimType = CrmClaims.Role;
                var previous = options.Events.OnTokenValidated;
                options.Events.OnTokenValidated = async context =>
                {
                    await previous(context);
                    await MirrorAzureAdUserAsync(context);
                };
            });
        }
        else if (builder.Environment.IsDevelopment())
        {
            services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
                .AddCookie(options =>
                {
                    options.LoginPath = SignInPath;
                    options.AccessDeniedPath = "/account/denied";
                    options.Cookie.Name = "crm.auth";
                    options.SlidingExpiration = true;
                });
        }
        else
        {
            throw new InvalidOperationException(
                "Azure AD sign-in is not configured: set AzureAd:Instance, AzureAd:TenantId and AzureAd:ClientId " +
                "(and AzureAd:ClientSecret or a certificate). The demo sign-in runs only in the Development environment.");
        }

        services.AddAuthorization();
        services.AddCrmPermissionPolicies();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingUserStateProvider>();
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
        return builder;
    }

    public static WebApplication UseCrmSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use((context, next) =>
        {
            context.RequestServices.GetRequiredService<ClaimsCurrentUser>().Set(context.User);
            return next(context);
        });
        return app;
    }

    public static WebApplication MapCrmSignIn(this WebApplication app)
    {
        var account = app.MapGroup("/account");
        if (!app.Configuration.UsesAzureAd())
        {
            account.MapPost("/local-signin", LocalSignInAsync).AllowAnonymous();
        }
        else
        {
            account.MapGet("/challenge", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
                .AllowAnonymous();
        }
        account.MapPost("/signout", SignOutAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> LocalSignInAsync(HttpContext context, [FromForm] Guid userId, [FromForm] string? returnUrl, UserDirectory directory)
    {
        var user = await directory.FindAsync(userId, context.RequestAborted);
        if (user is null || !user.IsActive)
        {
            return Results.Redirect($"{SignInPath}?error=unknown-user");
        }
        var signedIn = await directory.SignInAsync(user.ExternalId, user.TenantId, user.DisplayName, user.Email, user.RoleSet, context.RequestAborted);
        var principal = new ClaimsPrincipal(CrmClaims.Identity(signedIn, CookieAuthenticationDefaults.AuthenticationScheme));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return Results.LocalRedirect(SafeReturnUrl(returnUrl));
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, AuditLog auditLog, ICurrentUser user)
    {
        await auditLog.RecordAsync(AuditAction.SignOut, nameof(AppUser), user.UserId?.ToString(), user.UserId, user.DisplayName, context.RequestAborted);
        var signedOut = new AuthenticationProperties { RedirectUri = "/" };
        return context.RequestServices.GetRequiredService<IConfiguration>().UsesAzureAd()
            ? Results.SignOut(signedOut, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
            : Results.SignOut(new AuthenticationProperties { RedirectUri = SignInPath }, [CookieAuthenticationDefaults.AuthenticationScheme]);
    }

    private static async Task MirrorAzureAdUserAsync(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity)
        {
            return;
        }
        var principal = context.Principal;
        var objectId = principal.FindFirstValue("http://schemas.microsoft.com/identity/claims/objectidentifier") ?? principal.FindFirstValue("oid");
        if (objectId is null)
        {
            context.Fail("The token carries no object id (oid).");
            return;
        }
        var tenantId = principal.FindFirstValue("http://schemas.microsoft.com/identity/claims/tenantid") ?? principal.FindFirstValue("tid");
        var roles = principal.FindAll(CrmClaims.Role).Concat(principal.FindAll(ClaimTypes.Role))
            .Select(c => Enum.TryParse<Role>(c.Value, ignoreCase: true, out var role) ? role : (Role?)null)
            .OfType<Role>();
        var directory = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
        var signedIn = await directory.SignInAsync(objectId, tenantId, identity.Name ?? principal.FindFirstValue("name") ?? objectId,
            principal.FindFirstValue("preferred_username"), roles, context.HttpContext.RequestAborted);
        CrmClaims.AddTo(identity, signedIn);
    }

    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
