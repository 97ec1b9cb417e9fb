using System.Net;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Tests.Access;

public sealed class SignInTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/customers")]
    [InlineData("/admin/audit")]
    public async Task An_anonymous_request_for_a_page_is_sent_to_sign_in(string page)
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(page), response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo-admin", "王建国")]
    [InlineData("demo-supervisor", "李明")]
    [InlineData("demo-salesrep", "张伟")]
    [InlineData("demo-service", "陈静")]
    [InlineData("demo-analyst", "赵磊")]
    public async Task Each_demo_role_signs_in_and_the_sign_in_is_audited(string demoUser, string name)
    {
        await using var app = new CrmAppFactory(_database.Settings);

        var client = await app.SignedInClientAsync(demoUser);
        var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains(name, WebUtility.HtmlDecode(await home.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.SignIn && a.UserName == name));
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = await app.SignedInClientAsync("demo-salesrep");

        var signOut = await client.PostFormAsync("/account/signout");
        var after = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/signin", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.SignOut));
    }

    [Fact]
    public async Task A_cross_site_sign_out_without_the_antiforgery_token_does_not_end_the_session()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = await app.SignedInClientAsync("demo-salesrep");

        var withoutToken = await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        var forged = await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" }));
        var after = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode); // still signed in
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.SignOut));
    }

    [Fact]
    public void Production_without_AzureAd_refuses_to_start_and_names_the_missing_keys()
    {
        using var app = new CrmAppFactory(_database.Settings, environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var message = Flatten(error);
        Assert.Contains("AzureAd:Instance", message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:TenantId", message, StringComparison.Ordinal);
        Assert.Contains("AzureAd:ClientId", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incomplete_AzureAd_section_is_refused_naming_what_is_missing()
    {
        using var app = new CrmAppFactory(_database.Settings, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        });

        var message = Flatten(Assert.ThrowsAny<Exception>(() => app.CreateClient()));

        Assert.Contains("AzureAd:TenantId, AzureAd:ClientId", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_AzureAd_section_configures_OpenID_Connect_with_roles_from_the_roles_claim()
    {
        using var app = new CrmAppFactory(_database.Settings, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["AzureAd:ClientId"] = "66666666-7777-8888-9999-000000000000",
            ["AzureAd:ClientSecret"] = "not-a-real-secret",
            ["AzureAd:CallbackPath"] = "/signin-oidc",
        });

        var options = app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);

        Assert.Equal("66666666-7777-8888-9999-000000000000", options.ClientId);
        Assert.Equal("https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0", options.Authority);
        Assert.Equal("roles", options.TokenValidationParameters.RoleClaimType);
        Assert.Equal("/signin-oidc", options.CallbackPath);
        Assert.NotNull(options.Events.OnTokenValidated);
    }

    [Fact]
    public async Task The_sign_in_page_of_an_AzureAd_deployment_offers_Microsoft_and_lists_no_demo_users()
    {
        await using var app = new CrmAppFactory(_database.Settings, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
            ["AzureAd:TenantId"] = "11111111-2222-3333-4444-555555555555",
            ["AzureAd:ClientId"] = "66666666-7777-8888-9999-000000000000",
        });
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var page = await client.GetStringAsync("/account/signin");

        Assert.Contains("/account/challenge?returnUrl=%2F", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-user=", page, StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) => error is AggregateException aggregate
        ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
        : error.ToString();
}
