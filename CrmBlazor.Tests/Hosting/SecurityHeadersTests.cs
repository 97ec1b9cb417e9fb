using System.Net;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Hosting;

/// <summary>#12 HTTP hardening: the security headers ride on every response — pages, workbooks, 404s and errors.</summary>
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_page_carries_the_security_headers_and_its_import_map_the_policy_s_nonce()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/account/signin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = AssertSecurityHeaders(response);
        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Matches(@"connect-src 'self' ws://localhost(;|$)", policy);
        var nonce = Nonce().Match(policy).Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_response_gets_its_own_nonce()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var first = Nonce().Match(AssertSecurityHeaders(await client.GetAsync("/account/signin"))).Groups[1].Value;
        var second = Nonce().Match(AssertSecurityHeaders(await client.GetAsync("/account/signin"))).Groups[1].Value;

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_workbook_download_carries_the_security_headers()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = await app.SignedInClientAsync("demo-admin");

        var response = await client.GetAsync("/customers/import/template");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task A_not_found_page_carries_the_security_headers()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = await app.SignedInClientAsync("demo-salesrep");

        var response = await client.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task An_unexpected_error_in_production_carries_the_security_headers()
    {
        await using var production = new CrmAppFactory(_database.Settings, environment: "Production", settings: AzureAd);
        // The request's first service resolution fails once, as a bug would; the error page then renders in its own scope.
        await using var app = production.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddHttpContextAccessor();
            services.AddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext is { } http
                && http.Request.Query.ContainsKey("fail") && http.Items.TryAdd("failed", true)
                    ? throw new InvalidOperationException("A bug in the request pipeline.")
                    : new ClaimsCurrentUser());
        }));
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/account/signin?fail=1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("Something went wrong", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        AssertSecurityHeaders(response);
    }

    internal static readonly Dictionary<string, string?> AzureAd = new()
    {
        ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
        ["AzureAd:TenantId"] = "11111111-2222-3333-4444-555555555555",
        ["AzureAd:ClientId"] = "66666666-7777-8888-9999-000000000000",
        ["AzureAd:ClientSecret"] = "not-a-real-secret",
    };

    [Fact]
    public async Task With_Azure_AD_forms_may_also_go_to_its_sign_out_page()
    {
        await using var app = new CrmAppFactory(_database.Settings, environment: "Production", settings: AzureAd);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var policy = AssertSecurityHeaders(await client.GetAsync("/account/signin"));

        Assert.Contains("form-action 'self' https://login.microsoftonline.com;", policy, StringComparison.Ordinal);
    }

    private static string AssertSecurityHeaders(HttpResponseMessage response)
    {
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        return policy;
    }

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();
}
