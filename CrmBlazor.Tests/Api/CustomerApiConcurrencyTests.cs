using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Api;

/// <summary>Issue 16, concurrency: ETag from the version, If-Match required (428), stale (412), current (200 and the new ETag); UI and API collide cleanly.</summary>
public sealed class CustomerApiConcurrencyTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_update_needs_the_current_etag_in_if_match(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        using var client = app.Client((await app.IssueKeyAsync("ERP", Role.Supervisor, await app.SupervisedTeamAsync())).Token);
        var id = await DemoSalesRepCustomerAsync(app);
        var read = await client.GetAsync($"/api/v1/customers/{id}");
        var etag = read.Headers.ETag!.Tag;
        var body = await read.Content.ReadFromJsonAsync<JsonElement>();
        var newStatus = body.GetProperty("status").GetString() == "active" ? "cooperating" : "active";
        var change = new { name = body.GetProperty("name").GetString() + "（华东）", industry = body.GetProperty("industry").GetString() };

        using var without = await client.PutAsJsonAsync($"/api/v1/customers/{id}", change);
        using var updated = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}", change, etag);
        using var stale = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}", change, etag);
        using var status = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}/status", new { status = newStatus, reason = "合同已签" }, updated.Headers.ETag!.Tag);

        Assert.Equal($"\"{body.GetProperty("version").GetInt32()}\"", etag);
        Assert.Equal(HttpStatusCode.PreconditionRequired, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal($"\"{body.GetProperty("version").GetInt32() + 1}\"", updated.Headers.ETag!.Tag);
        Assert.Equal(change.name, (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(newStatus, (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await using var db = app.NewSystemContext();
        Assert.Equal(1, await db.CustomerStatusChanges.CountAsync(s => s.CustomerId == id && s.ToStatus == newStatus && s.Reason == "合同已签"));
    }

    [Fact]
    public async Task The_ui_and_the_api_editing_the_same_customer_conflict_cleanly_both_ways()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client((await app.IssueKeyAsync("ERP", Role.Admin)).Token);
        var id = await DemoSalesRepCustomerAsync(app);
        var seenByUi = await app.AsAsync<CustomerQueries, CustomerDetails>("demo-admin", q => q.GetDetailsAsync(id));
        var etagSeenByApi = (await client.GetAsync($"/api/v1/customers/{id}")).Headers.ETag!.Tag;

        // The API saves first; the page's save with the version it opened is a conflict, not an overwrite.
        using var apiSave = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}", new { name = "API 改名有限公司" }, etagSeenByApi);
        Assert.Equal(HttpStatusCode.OK, apiSave.StatusCode);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => app.AsAsync<CustomerService, Customer>("demo-admin",
            s => s.UpdateAsync(id, seenByUi.Version, new CustomerInput { Name = "页面改名有限公司", KeepsCustomValues = true })));

        // The page saves next (with the version it reloads); the API's ETag from before is stale now.
        var reloaded = await app.AsAsync<CustomerQueries, CustomerDetails>("demo-admin", q => q.GetDetailsAsync(id));
        await app.AsAsync<CustomerService, Customer>("demo-admin", s => s.UpdateAsync(id, reloaded.Version, new CustomerInput { Name = "页面改名有限公司", KeepsCustomValues = true }));
        using var staleApiSave = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}", new { name = "API 再次改名有限公司" }, apiSave.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.PreconditionFailed, staleApiSave.StatusCode);
        await using var db = app.NewSystemContext();
        Assert.Equal("页面改名有限公司", await db.Customers.Where(c => c.Id == id).Select(c => c.Name).SingleAsync());
    }

    private static async Task<Guid> DemoSalesRepCustomerAsync(ApiTestApp app)
    {
        await using var db = app.NewSystemContext();
        return await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.ParseAdd(ifMatch);
        return client.SendAsync(request);
    }
}
