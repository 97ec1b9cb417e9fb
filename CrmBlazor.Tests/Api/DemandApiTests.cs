using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Api;

/// <summary>Issue 16, <c>/api/v1/demands</c> through real HTTP: ETags and If-Match on demands and tasks, the board's live event, scope and audit.</summary>
public sealed class DemandApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_demand_is_raised_read_moved_under_its_etag_and_its_task_moved_under_the_tasks_etag(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        var issued = await app.IssueKeyAsync("ERP", Role.Supervisor, await app.SupervisedTeamAsync());
        using var client = app.Client(issued.Token);
        var (customerId, repId, supervisorId) = await DemoSalesRepCustomerAsync(app);
        var heard = new ConcurrentQueue<DemandChanged>();
        using var subscription = app.Factory.Services.GetRequiredService<ILiveEvents>().Subscribe<DemandChanged>(e => { heard.Enqueue(e); return Task.CompletedTask; });

        using var created = await client.PostAsJsonAsync("/api/v1/demands", new { customerId, description = "对接 ERP 订单接口", type = "existing", priority = "high", ownerId = repId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var demand = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = demand.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/demands/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(("open", "high", repId), (demand.GetProperty("status").GetString(), demand.GetProperty("priority").GetString(), demand.GetProperty("ownerId").GetGuid()));
        Assert.StartsWith("DE2031", demand.GetProperty("number").GetString(), StringComparison.Ordinal);

        using var read = await client.GetAsync($"/api/v1/demands/{id}");
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal(created.Headers.ETag!.Tag, etag);
        Assert.Equal($"\"{(await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32()}\"", etag);

        using var moved = await SendAsync(client, HttpMethod.Put, $"/api/v1/demands/{id}/status", new { status = "inProgress" }, etag);
        using var stale = await SendAsync(client, HttpMethod.Put, $"/api/v1/demands/{id}/status", new { status = "awaitingConfirmation" }, etag);
        using var without = await SendAsync(client, HttpMethod.Put, $"/api/v1/demands/{id}/status", new { status = "awaitingConfirmation" }, ifMatch: null);
        using var closing = await SendAsync(client, HttpMethod.Put, $"/api/v1/demands/{id}/status", new { status = "done" }, moved.Headers.ETag!.Tag);
        using var assigned = await SendAsync(client, HttpMethod.Put, $"/api/v1/demands/{id}/owner", new { ownerId = supervisorId }, moved.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.NotEqual(etag, moved.Headers.ETag!.Tag);
        var afterMove = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("inProgress", afterMove.GetProperty("status").GetString());
        Assert.Equal(ApiTestApp.Start.UtcDateTime, afterMove.GetProperty("respondedAt").GetDateTime());
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionRequired, without.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, closing.StatusCode);
        var closingProblem = await closing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("application/problem+json", closing.Content.Headers.ContentType?.MediaType);
        Assert.True(closingProblem.GetProperty("errors").TryGetProperty("status", out _), closingProblem.ToString());
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        Assert.Equal(supervisorId, (await assigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ownerId").GetGuid());

        var plannedAt = ApiTestApp.Start.UtcDateTime.AddDays(3);
        using var added = await client.PostAsJsonAsync($"/api/v1/demands/{id}/tasks", new { name = "梳理接口字段", ownerId = repId, plannedAt });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var task = await added.Content.ReadFromJsonAsync<JsonElement>();
        var taskUrl = $"/api/v1/demands/{id}/tasks/{task.GetProperty("id").GetGuid()}";
        Assert.Equal(taskUrl, added.Headers.Location!.OriginalString);
        Assert.Equal(("toDo", plannedAt), (task.GetProperty("status").GetString(), task.GetProperty("plannedAt").GetDateTime()));
        var taskEtag = (await client.GetAsync(taskUrl)).Headers.ETag!.Tag;
        Assert.Equal(added.Headers.ETag!.Tag, taskEtag);

        using var noReason = await SendAsync(client, HttpMethod.Put, $"{taskUrl}/status", new { status = "delayed" }, taskEtag);
        using var delayed = await SendAsync(client, HttpMethod.Put, $"{taskUrl}/status", new { status = "delayed", delayReason = "客户接口文档未到", newPlannedAt = plannedAt.AddDays(2) }, taskEtag);
        using var staleTask = await SendAsync(client, HttpMethod.Put, $"{taskUrl}/status", new { status = "done" }, taskEtag);
        using var done = await SendAsync(client, HttpMethod.Put, $"{taskUrl}/status", new { status = "done" }, delayed.Headers.ETag!.Tag);
        using var ofAnotherDemand = await client.GetAsync($"/api/v1/demands/{await AnotherDemandAsync(app, customerId, id)}/tasks/{task.GetProperty("id").GetGuid()}");

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var fields = (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order();
        Assert.Equal(["delayReason", "newPlannedAt"], fields);
        Assert.Equal(HttpStatusCode.OK, delayed.StatusCode);
        var delay = Assert.Single((await delayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("delays").EnumerateArray());
        Assert.Equal(("客户接口文档未到", plannedAt), (delay.GetProperty("reason").GetString(), delay.GetProperty("oldPlannedAt").GetDateTime()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleTask.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("done", (await done.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, ofAnotherDemand.StatusCode);
        var final = await client.GetFromJsonAsync<JsonElement>($"/api/v1/demands/{id}");
        Assert.Equal(["done"], final.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("status").GetString()));

        // Created, moved, assigned, task added, delayed, done: each told to the boards, each with the version it saved.
        Assert.Equal(6, heard.Count(e => e.DemandId == id));
        Assert.Contains(heard, e => e.DemandId == id && e.Version == afterMove.GetProperty("version").GetInt32());
        await using var db = app.NewSystemContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == "Demand" && a.EntityId == id.ToString() && a.Action == AuditAction.Create);
        Assert.Equal(("API: ERP", issued.Key.UserId), (audit.UserName, audit.UserId!.Value));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_sales_rep_key_lists_and_reads_only_demands_on_its_own_customers(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        var issued = await app.IssueKeyAsync("Website form", Role.SalesRep, await app.SupervisedTeamAsync());
        using var client = app.Client(issued.Token);
        using var customer = await client.PostAsJsonAsync("/api/v1/customers", new { name = "无锡澄光照明电器有限公司", keyContact = new { name = "陈静", mobile = "13800138000" } });
        var customerId = (await customer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var own = await client.PostAsJsonAsync("/api/v1/demands", new { customerId, description = "官网表单提交的照明改造需求", type = "potential" });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var (othersCustomerId, _, _) = await DemoSalesRepCustomerAsync(app);
        await using var db = app.NewSystemContext();
        var someoneElses = await (from d in db.Demands join c in db.Customers on d.CustomerId equals c.Id
                                  where c.Id == othersCustomerId orderby d.Number select new { d.Id, d.Number, Customer = c.Name }).FirstAsync();

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/demands?pageSize=500");
        var searched = await client.GetFromJsonAsync<JsonElement>($"/api/v1/demands?search={someoneElses.Number}");
        var byCustomer = await client.GetFromJsonAsync<JsonElement>($"/api/v1/demands?customerId={othersCustomerId}");
        using var direct = await client.GetAsync($"/api/v1/demands/{someoneElses.Id}");
        using var onSomeoneElsesCustomer = await client.PostAsJsonAsync("/api/v1/demands", new { customerId = othersCustomerId, description = "越权", type = "existing" });
        using var unknownStatus = await client.GetAsync("/api/v1/demands?status=closed");

        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(200, list.GetProperty("pageSize").GetInt32()); // capped
        var row = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("官网表单提交的照明改造需求", "open", "medium", "API: Website form"),
            (row.GetProperty("description").GetString(), row.GetProperty("status").GetString(), row.GetProperty("priority").GetString(), row.GetProperty("ownerName").GetString()));
        Assert.Equal(0, searched.GetProperty("total").GetInt32());
        Assert.Equal(0, byCustomer.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        Assert.DoesNotContain(someoneElses.Customer, await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, onSomeoneElsesCustomer.StatusCode);
        Assert.True((await onSomeoneElsesCustomer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("customerId", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus.StatusCode);
    }

    /// <summary>demo-salesrep's first customer, demo-salesrep and demo-supervisor (who leads demo-salesrep's team).</summary>
    private static async Task<(Guid Customer, Guid Rep, Guid Supervisor)> DemoSalesRepCustomerAsync(ApiTestApp app)
    {
        _ = app.Factory.Server; // migrates and seeds
        await using var db = app.NewSystemContext();
        var customer = await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => new { c.Id, Owner = c.OwnerId!.Value }).FirstAsync();
        var supervisor = await db.Users.Where(u => u.ExternalId == "demo-supervisor").Select(u => u.Id).SingleAsync();
        return (customer.Id, customer.Owner, supervisor);
    }

    /// <summary>Another demand on the same customer: one the caller may read, which the task is not part of.</summary>
    private static async Task<Guid> AnotherDemandAsync(ApiTestApp app, Guid customerId, Guid id)
    {
        await using var db = app.NewSystemContext();
        return await db.Demands.Where(d => d.CustomerId == customerId && d.Id != id).OrderBy(d => d.Number).Select(d => d.Id).FirstAsync();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.ParseAdd(ifMatch);
        }
        return client.SendAsync(request);
    }
}
