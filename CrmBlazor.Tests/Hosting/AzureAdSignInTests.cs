using System.Security.Claims;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Tests.Hosting;

/// <summary>#12 sign-in with Azure AD: the tenant is pinned, and a refused sign-in is audited and shown, not a crash.</summary>
public sealed class AzureAdSignInTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_token_from_another_tenant_is_refused_and_no_user_is_mirrored()
    {
        await using var app = new CrmAppFactory(_database.Settings, environment: "Production", settings: SecurityHeadersTests.AzureAd);
        var options = OpenIdConnect(app);
        await using var scope = app.Services.CreateAsyncScope();
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim("oid", "aaaaaaaa-0000-0000-0000-000000000001"),
            new Claim("tid", "99999999-2222-3333-4444-555555555555"),
            new Claim("name", "Mallory"),
            new Claim("roles", "Admin"),
        ], "test"));
        var context = new TokenValidatedContext(new DefaultHttpContext { RequestServices = scope.ServiceProvider }, Scheme, options, principal, new AuthenticationProperties());

        await options.Events.OnTokenValidated(context);

        Assert.NotNull(context.Result?.Failure);
        Assert.Contains("tenant", context.Result.Failure.Message, StringComparison.Ordinal);
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.False(await db.Users.AnyAsync(u => u.ExternalId == "aaaaaaaa-0000-0000-0000-000000000001"));
    }

    [Fact]
    public async Task A_failed_Azure_AD_sign_in_is_audited_and_sent_back_to_the_sign_in_page()
    {
        await using var app = new CrmAppFactory(_database.Settings, environment: "Production", settings: SecurityHeadersTests.AzureAd);
        var options = OpenIdConnect(app);
        await using var scope = app.Services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var context = new RemoteFailureContext(http, Scheme, options, new AuthenticationFailureException("The token's tenant 99999999-2222-3333-4444-555555555555 is not the configured tenant."));

        await options.Events.OnRemoteFailure(context);

        Assert.True(context.Result?.Handled);
        Assert.Equal("/account/signin?error=signin-failed", http.Response.Headers.Location.ToString());
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var entry = Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditAction.SignInFailed).ToListAsync());
        Assert.Contains("is not the configured tenant", entry.EntityId, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tenant_that_is_not_a_directory_id_stops_the_start()
    {
        using var app = new CrmAppFactory(_database.Settings, environment: "Production",
            settings: new Dictionary<string, string?>(SecurityHeadersTests.AzureAd) { ["AzureAd:TenantId"] = "common" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("AzureAd:TenantId must be the directory (tenant) id", error.ToString(), StringComparison.Ordinal);
    }

    private static readonly AuthenticationScheme Scheme = new(OpenIdConnectDefaults.AuthenticationScheme, null, typeof(OpenIdConnectHandler));

    private static OpenIdConnectOptions OpenIdConnect(CrmAppFactory app)
    {
        _ = app.Services; // starts the host: migrations and seeding
        return app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
    }
}
