using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Features.Api;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Tests.Api;

/// <summary>
/// Issue 16, Entra bearer tokens: an application token acts as its application's own service account with the rights of its
/// app roles, a delegated token as the signed-in user with their roles and scope; anything else is 401.
/// </summary>
public sealed class EntraTokenTests
{
    private const string ErpApp = "5f1c2a9e-0000-4000-8000-000000000e59";

    [Fact]
    public async Task An_application_token_acts_as_its_own_service_account_created_once_and_named_in_the_audit_rows()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client(app.Tokens.Application(ErpApp, "ERP", EntraApplications.WriteRole));

        var created = await client.PostAsJsonAsync("/api/v1/customers", new { name = "苏州恒通精密机械有限公司", keyContact = new { name = "王磊", mobile = "13912345678" } });
        using var listed = await client.GetAsync("/api/v1/customers");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await using var db = app.NewSystemContext();
        var account = await db.Users.AsNoTracking().SingleAsync(u => u.ExternalId == EntraApplications.ExternalIdPrefix + ErpApp);
        Assert.Equal("API: ERP", account.DisplayName);
        Assert.Equal(EntraApplications.WriteRoles, account.RoleSet);
        Assert.False(account.RoleSet.Contains(Role.Admin));
        var row = await db.AuditEntries.SingleAsync(a => a.EntityType == "Customer" && a.EntityId == id.ToString() && a.Action == AuditAction.Create);
        Assert.Equal(("API: ERP", account.Id), (row.UserName, row.UserId!.Value));
        // Not a person: the sign-in page and the people pickers leave it out.
        var people = await app.AsAsync<UserDirectory, IReadOnlyList<AppUser>>("demo-admin", users => users.ListActiveAsync());
        Assert.DoesNotContain(people, u => u.Id == account.Id);
    }

    [Fact]
    public async Task An_application_follows_its_app_roles_and_is_shut_out_when_its_account_is_disabled_or_it_has_no_API_role()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        var body = new { name = "常州新锐包装材料有限公司", keyContact = new { name = "赵敏", mobile = "13700137000" } };
        using var writer = app.Client(app.Tokens.Application(ErpApp, "ERP", EntraApplications.WriteRole));
        using var reader = app.Client(app.Tokens.Application(ErpApp, "ERP", EntraApplications.ReadRole));
        using var neither = app.Client(app.Tokens.Application("another-app", "Mail", "Mail.Send"));

        using var written = await writer.PostAsJsonAsync("/api/v1/customers", body);
        using var readOnly = await reader.PostAsJsonAsync("/api/v1/customers", body);
        using var read = await reader.GetAsync("/api/v1/customers");
        using var noRole = await neither.GetAsync("/api/v1/customers");
        await using (var db = app.NewSystemContext())
        {
            await db.Users.Where(u => u.ExternalId == EntraApplications.ExternalIdPrefix + ErpApp).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        }
        using var disabled = await reader.GetAsync("/api/v1/customers");

        Assert.Equal(HttpStatusCode.Created, written.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noRole.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, disabled.StatusCode);
        Assert.Equal("application/problem+json", disabled.Content.Headers.ContentType?.MediaType);
        await using var check = app.NewSystemContext();
        var accounts = await check.Users.AsNoTracking().Where(u => u.ExternalId!.StartsWith(EntraApplications.ExternalIdPrefix)).ToListAsync();
        var account = Assert.Single(accounts);
        Assert.Equal(EntraApplications.ReadRoles, account.RoleSet);
    }

    [Fact]
    public async Task A_delegated_token_acts_as_the_user_with_their_roles_and_scope_and_an_unknown_user_is_refused()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var rep = app.Client(app.Tokens.Delegated("demo-salesrep"));
        using var stranger = app.Client(app.Tokens.Delegated("aaaaaaaa-0000-0000-0000-00000000000f", "stranger@elsewhere.example"));
        await using var db = app.NewSystemContext();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.ExternalId == "demo-salesrep");
        var own = await db.Customers.Where(c => c.OwnerId == user.Id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        var others = await db.Customers.Where(c => c.OwnerId != user.Id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        var ownCount = await db.Customers.CountAsync(c => c.OwnerId == user.Id);

        var list = await rep.GetFromJsonAsync<JsonElement>("/api/v1/customers");
        using var mine = await rep.GetAsync($"/api/v1/customers/{own}");
        using var notMine = await rep.GetAsync($"/api/v1/customers/{others}");
        using var created = await rep.PostAsJsonAsync("/api/v1/customers", new { name = "无锡澄光照明电器有限公司", keyContact = new { name = "陈静", mobile = "13800138000" } });
        using var refused = await stranger.GetAsync("/api/v1/customers");

        Assert.Equal(ownCount, list.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var row = await db.AuditEntries.SingleAsync(a => a.EntityType == "Customer" && a.EntityId == id.ToString() && a.Action == AuditAction.Create);
        Assert.Equal((user.DisplayName, user.Id), (row.UserName, row.UserId!.Value));
        // Reading a token is no sign-in: no audit row, no new or changed user.
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.SignIn));
        Assert.False(await db.Users.AnyAsync(u => u.Email == "stranger@elsewhere.example" || u.ExternalId == "aaaaaaaa-0000-0000-0000-00000000000f"));
    }

    [Fact]
    public async Task Without_Azure_AD_the_bearer_scheme_starts_and_trusts_no_issuer()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        await using var untrusting = new CrmAppFactory(app.Database.Settings, time: app.Clock, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var client = untrusting.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/customers");
        request.Headers.Authorization = new("Bearer", app.Tokens.Application(ErpApp, "ERP", EntraApplications.WriteRole));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_Azure_AD_the_bearer_scheme_is_Microsoft_Identity_Web_for_the_tenant_and_maps_its_tokens()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new CrmAppFactory(database.Settings, environment: "Production", settings: SecurityHeadersTests.AzureAd);
        _ = app.Services; // starts the host: migrations and seeding
        var options = app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(EntraBearer.SchemeName);
        var tenant = SecurityHeadersTests.AzureAd["AzureAd:TenantId"];

        var foreign = await ValidateAsync(app, options, new Claim("tid", "99999999-2222-3333-4444-555555555555"));
        var ours = await ValidateAsync(app, options, new Claim("tid", tenant!));

        Assert.Contains(tenant!, options.Authority, StringComparison.Ordinal);
        Assert.False(options.MapInboundClaims);
        Assert.Contains("tenant", foreign.Result?.Failure?.Message, StringComparison.Ordinal);
        Assert.Null(ours.Result);
        Assert.Equal("API: ERP", ours.Principal?.Identity?.Name);
        Assert.Equal(ErpApp, ours.Principal?.FindFirstValue(EntraBearer.ApplicationClaim));
        Assert.NotNull(ours.Principal?.FindFirstValue(CrmClaims.UserId));
    }

    private static async Task<TokenValidatedContext> ValidateAsync(CrmAppFactory app, JwtBearerOptions options, Claim tenant)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("azp", ErpApp), new Claim("app_displayname", "ERP"), new Claim("roles", EntraApplications.WriteRole), tenant], "test"));
        var context = new TokenValidatedContext(new DefaultHttpContext { RequestServices = scope.ServiceProvider },
            new AuthenticationScheme(EntraBearer.SchemeName, null, typeof(JwtBearerHandler)), options) { Principal = principal };
        await options.Events.OnTokenValidated(context);
        return context;
    }
}
