using System.Net;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Hosting;

/// <summary>#12 access control: an endpoint needs a signed-in user unless it is anonymous on purpose; refusals are audited.</summary>
public sealed class AccessFallbackTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task An_endpoint_without_any_authorization_attribute_sends_an_anonymous_client_to_sign_in()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var unmarked = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAuthorizeData>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Where(e => e.RoutePattern.Parameters.Count == 0)
            .ToList();

        Assert.NotEmpty(unmarked); // Blazor's own endpoints (/_blazor…) carry no attribute
        foreach (var endpoint in unmarked)
        {
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var first, ..] ? first : HttpMethods.Get;
            var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized
                || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/signin", StringComparison.Ordinal)),
                $"{method} {path} answered {(int)response.StatusCode} to an anonymous client");
        }
    }

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/_blazor/initializers")]
    public async Task A_path_with_no_page_or_a_framework_endpoint_sends_an_anonymous_client_to_sign_in(string path)
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account/signin")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/favicon.png")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("/not-found")]
    [InlineData("/error")]
    public async Task What_an_anonymous_visitor_needs_stays_open(string path)
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private const string ServerComponentMarker = "\"type\":\"server\"";

    [Fact]
    public async Task An_anonymous_page_renders_without_a_circuit()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var signedIn = await app.SignedInClientAsync("demo-salesrep");

        var anonymousPage = await client.GetStringAsync("/not-found");
        var signedInPage = await signedIn.GetStringAsync("/not-found");

        Assert.DoesNotContain(ServerComponentMarker, anonymousPage, StringComparison.Ordinal);
        Assert.Contains(ServerComponentMarker, signedInPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_request_is_audited_with_the_user_and_the_path()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var client = await app.SignedInClientAsync("demo-salesrep");

        var response = await client.GetAsync("/customers/import/template");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var refused = await db.AuditEntries.Where(a => a.Action == AuditAction.AccessDenied).ToListAsync();
        var entry = Assert.Single(refused);
        Assert.Equal("GET /customers/import/template", entry.EntityId);
        Assert.Equal("张伟", entry.UserName);
        Assert.NotNull(entry.UserId);
    }
}
