using System.Net;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Hosting;

/// <summary>#12 HTTP hardening: behind a proxy, cookies follow the browser's scheme; sign-in and exports are rate-limited; failed sign-ins audited.</summary>
public sealed partial class ProxyAndRateLimitTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Theory]
    [InlineData("10.0.0.5", true)]
    [InlineData("10.0.0.9", false)]
    public async Task Cookies_are_secure_when_a_known_proxy_says_the_browser_used_https(string proxy, bool secure)
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "10.0.0.5",
        });

        var page = await app.Server.SendAsync(c => ThroughProxy(c, proxy, HttpMethods.Get, "/account/signin"));
        var antiforgery = Assert.Single(page.Response.Headers.SetCookie, c => c!.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal))!;
        var html = await new StreamReader(page.Response.Body).ReadToEndAsync();
        var signIn = await app.Server.SendAsync(c =>
        {
            ThroughProxy(c, proxy, HttpMethods.Post, "/account/local-signin");
            c.Request.Headers.Cookie = antiforgery.Split(';')[0];
            c.Request.ContentType = "application/x-www-form-urlencoded";
            c.Request.Body = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Token().Match(html).Groups[1].Value,
                ["userId"] = Regex.Match(html, """name="userId" value="([^"]+)""").Groups[1].Value,
            }).ReadAsStream();
        });

        Assert.Equal(StatusCodes.Status200OK, page.Response.StatusCode);
        Assert.Equal(StatusCodes.Status302Found, signIn.Response.StatusCode);
        var session = Assert.Single(signIn.Response.Headers.SetCookie, c => c!.StartsWith("crm.auth=", StringComparison.Ordinal))!;
        Assert.Equal(secure, IsSecure(session));
        Assert.Equal(secure, IsSecure(antiforgery));
        Assert.Equal(secure, page.Response.Headers.ContentSecurityPolicy.ToString().Contains("connect-src 'self' wss://", StringComparison.Ordinal));
    }

    private static void ThroughProxy(HttpContext context, string proxy, string method, string path)
    {
        context.Connection.RemoteIpAddress = IPAddress.Parse(proxy);
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Headers["X-Forwarded-Proto"] = "https";
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.7";
    }

    private static bool IsSecure(string setCookie) =>
        setCookie.Split(';').Any(p => p.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void A_known_proxy_that_is_not_an_address_stops_the_start()
    {
        using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownProxies:0"] = "proxy.internal",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("ForwardedHeaders:KnownProxies", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_attempts_past_the_limit_get_429_with_a_message_in_the_user_s_language()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?>
        {
            ["RateLimits:SignIn:PermitLimit"] = "2",
            ["RateLimits:SignIn:WindowSeconds"] = "600",
        });
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = Token().Match(await client.GetStringAsync("/account/signin")).Groups[1].Value;

        var allowed = new[] { await AttemptAsync(client, token, "en"), await AttemptAsync(client, token, "en") };
        var refused = await AttemptAsync(client, token, "en");
        var refusedInChinese = await AttemptAsync(client, token, "zh-CN");

        Assert.All(allowed, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Matches(@"^Too many requests\. Please wait \d+ seconds and try again\.$", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedInChinese.StatusCode);
        Assert.Matches(@"^请求过于频繁，请在 \d+ 秒后重试。$", await refusedInChinese.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failed_local_sign_in_is_audited_and_goes_back_to_the_sign_in_page()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = Token().Match(await client.GetStringAsync("/account/signin")).Groups[1].Value;
        var unknownUser = Guid.NewGuid();

        var response = await AttemptAsync(client, token, "en", unknownUser);

        Assert.Equal("/account/signin?error=unknown-user", response.Headers.Location!.OriginalString);
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var entry = Assert.Single(await db.AuditEntries.Where(a => a.Action == AuditAction.SignInFailed).ToListAsync());
        Assert.Equal($"unknown user {unknownUser}", entry.EntityId);
        Assert.Null(entry.UserId);
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.SignIn));
    }

    [Fact]
    public async Task Exports_past_the_limit_get_429()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?>
        {
            ["RateLimits:Export:PermitLimit"] = "1",
            ["RateLimits:Export:WindowSeconds"] = "600",
        });
        var client = await app.SignedInClientAsync("demo-admin");

        var first = await client.PostFormAsync("/dashboard/tiers/export");
        var second = await client.PostFormAsync("/reports/interactions/export");
        var otherUser = await (await app.SignedInClientAsync("demo-supervisor")).PostFormAsync("/dashboard/tiers/export");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode); // per user, not shared
    }

    [Fact]
    public async Task A_sign_in_with_an_outside_return_url_lands_on_the_home_page()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/account/signin");
        var userId = Regex.Match(page, """name="userId" value="([^"]+)""").Groups[1].Value;

        var response = await client.PostAsync("/account/local-signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token().Match(page).Groups[1].Value,
            ["userId"] = userId,
            ["returnUrl"] = "/\\evil.example",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    private static async Task<HttpResponseMessage> AttemptAsync(HttpClient client, string token, string language, Guid? userId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/local-signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["userId"] = (userId ?? Guid.NewGuid()).ToString(),
                ["returnUrl"] = "/",
            }),
        };
        request.Headers.AcceptLanguage.ParseAdd(language);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("""name="__RequestVerificationToken"[^>]*?value="([^"]+)""")]
    private static partial Regex Token();
}
