using System.Security.Claims;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
            if (!Guid.TryParse(azureAd["TenantId"], out _))
            {
                throw new InvalidOperationException("AzureAd:TenantId must be the directory (tenant) id, a GUID: sign-in accepts tokens of that tenant only.");
            }
            services.AddAuthentication(OpenIdConnectDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApp(azureAd);
            services.RemoveAll<TeamGroupMap>();
            services.AddSingleton(TeamGroupsOf(azureAd));
            services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                options.TokenValidationParameters.RoleClaimType = CrmClaims.Role;
                var previous = options.Events.OnTokenValidated;
                options.Events.OnTokenValidated = async context =>
                {
                    await previous(context);
                    if (context.Result is null)
                    {
                        await MirrorAzureAdUserAsync(context, azureAd["TenantId"]);
                    }
                };
                var previousFailure = options.Events.OnRemoteFailure;
                options.Events.OnRemoteFailure = async context =>
                {
                    await AuditFailedSignInAsync(context.HttpContext, null, "(azure ad)", context.Failure?.Message ?? "remote failure");
                    await previousFailure(context);
                    if (context.Result is not { Handled: true })
                    {
                        context.Response.Redirect($"{SignInPath}?error=signin-failed");
                        context.HandleResponse();
                    }
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

        services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            // Secure whenever the browser's request was HTTPS, also behind a proxy (forwarded headers set the scheme).
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Cookie.HttpOnly = true;
            var previous = options.Events.OnRedirectToAccessDenied;
            options.Events.OnRedirectToAccessDenied = async context =>
            {
                await AuditRefusalAsync(context.HttpContext);
                await previous(context);
            };
        });
        // Every endpoint needs a signed-in user unless it says AllowAnonymous on purpose.
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCrmPermissionPolicies();
        services.AddCascadingAuthenticationState();
        services.AddCrmSessions(builder.Configuration);
        services.AddScoped<AuthenticationStateProvider, RevalidatingUserStateProvider>();
        services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
        services.AddSingleton<IAccessRefusalAudit, CircuitRefusalAudit>();
        return builder;
    }

    public static WebApplication UseCrmSignIn(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            context.RequestServices.GetRequiredService<ClaimsCurrentUser>().Set(context.User);
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status403Forbidden)
            {
                await AuditRefusalAsync(context);
            }
        });
        return app;
    }

    public static WebApplication MapCrmSignIn(this WebApplication app)
    {
        var account = app.MapGroup("/account");
        if (!app.Configuration.UsesAzureAd())
        {
            account.MapPost("/local-signin", LocalSignInAsync).AllowAnonymous().RequireRateLimiting(SecurityHosting.SignInLimit);
        }
        else
        {
            account.MapGet("/challenge", (string? returnUrl) =>
                Results.Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
                .AllowAnonymous().RequireRateLimiting(SecurityHosting.SignInLimit);
        }
        // Only from this app's own form: a cross-site POST must not end the session.
        account.MapPost("/signout", SignOutAsync).RequireAuthorization().RequireAntiforgeryToken();
        return app;
    }

    private static async Task<IResult> LocalSignInAsync(HttpContext context, [FromForm] Guid userId, [FromForm] string? returnUrl, UserDirectory directory)
    {
        var user = await directory.FindAsync(userId, context.RequestAborted);
        if (user is null || !user.IsActive)
        {
            await AuditFailedSignInAsync(context, user?.Id, user?.DisplayName ?? "(unknown)", user is null ? $"unknown user {userId}" : $"disabled user {userId}");
            return Results.Redirect($"{SignInPath}?error=unknown-user");
        }
        var signedIn = await directory.SignInAsync(user.ExternalId ?? user.Id.ToString(), user.TenantId, user.DisplayName, user.Email, user.RoleSet, context.RequestAborted);
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

    private static async Task MirrorAzureAdUserAsync(TokenValidatedContext context, string? configuredTenant)
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
        if (!IsConfiguredTenant(tenantId, configuredTenant))
        {
            context.Fail($"The token's tenant {tenantId ?? "(none)"} is not the configured tenant.");
            return;
        }
        var roles = principal.FindAll(CrmClaims.Role).Concat(principal.FindAll(ClaimTypes.Role))
            .Select(c => CrmClaims.RoleNamed(c.Value))
            .OfType<Role>();
        var directory = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
        var email = principal.FindFirstValue("preferred_username") ?? principal.FindFirstValue("email");
        var signInNames = new[] { "preferred_username", "email", "upn", ClaimTypes.Upn, ClaimTypes.Email }
            .Select(principal.FindFirstValue).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var token = new SignInToken(objectId, tenantId, identity.Name ?? principal.FindFirstValue("name") ?? objectId, email, roles.ToList(), signInNames, GroupsOf(principal));
        var signedIn = await directory.SignInAsync(token, context.HttpContext.RequestAborted);
        CrmClaims.AddTo(identity, signedIn);
    }

    /// <summary><c>AzureAd:TeamGroups</c>: Entra group object id → team name.</summary>
    private static TeamGroupMap TeamGroupsOf(IConfigurationSection azureAd) =>
        new(azureAd.GetSection("TeamGroups").GetChildren()
            .Where(g => !string.IsNullOrWhiteSpace(g.Value))
            .ToDictionary(g => g.Key, g => g.Value!.Trim(), StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The token's group object ids; null when it says nothing reliable about them: a user in more groups than a token
    /// carries gets a <c>hasgroups</c> or <c>_claim_names</c> pointer instead ("groups overage"), and then the
    /// memberships from groups stay as they are rather than being removed.
    /// </summary>
    public static IReadOnlyCollection<string>? GroupsOf(ClaimsPrincipal principal)
    {
        if (principal.HasClaim(c => c.Type == "hasgroups") || principal.FindAll("_claim_names").Any(c => c.Value.Contains("\"groups\"", StringComparison.Ordinal)))
        {
            return null;
        }
        return principal.FindAll("groups").Concat(principal.FindAll("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"))
            .Select(c => c.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Sign-in is pinned to one directory: the token's <c>tid</c> must be the configured tenant id.</summary>
    public static bool IsConfiguredTenant(string? tokenTenant, string? configuredTenant) =>
        Guid.TryParse(tokenTenant, out var token) && Guid.TryParse(configuredTenant, out var configured) && token == configured;

    /// <summary>
    /// <paramref name="returnUrl"/> when it is a path on this site, otherwise "/": no scheme or host, no <c>//</c>
    /// start (protocol-relative), no backslash (browsers read it as a slash) and no control characters — checked
    /// as given and once percent-decoded, so an encoded form cannot slip through.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && IsLocalPath(returnUrl) && IsLocalPath(Uri.UnescapeDataString(returnUrl)) ? returnUrl : "/";

    private static bool IsLocalPath(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\') && !url.Any(char.IsControl);

    private static async Task AuditFailedSignInAsync(HttpContext context, Guid? userId, string userName, string reason)
    {
        var audit = context.RequestServices.GetRequiredService<AuditLog>();
        await audit.RecordAsync(AuditAction.SignInFailed, nameof(AppUser), Truncate(reason, 128), userId, Truncate(userName, 100), CancellationToken.None);
    }

    /// <summary>A refused request, recorded once however many times the response passes through (status pages re-execute).</summary>
    private static async Task AuditRefusalAsync(HttpContext context)
    {
        if (!context.Items.TryAdd(nameof(AuditRefusalAsync), true))
        {
            return;
        }
        var user = context.RequestServices.GetRequiredService<ClaimsCurrentUser>();
        var audit = context.RequestServices.GetRequiredService<AuditLog>();
        await audit.RecordAsync(AuditAction.AccessDenied, "Route", Truncate($"{context.Request.Method} {context.Request.Path}", 128),
            user.UserId, Truncate(user.DisplayName, 100), CancellationToken.None);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
