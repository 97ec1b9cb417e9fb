using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Api;

/// <summary>
/// Issue 16: every customers and demands endpoint as a key of each role, as Entra tokens (an application with Api.Read, one with
/// Api.Write, a SalesRep's delegated token, a token for another audience, an expired one) and with no credentials, on SQLite
/// and PostgreSQL. The target is demo-salesrep's customer: in every viewer's scope but a SalesRep key's (its account owns
/// only what it made) and demo-salesrep2's (another rep). Tickets and leads likewise: a ticket an Admin logged on that
/// customer (routed to the front-line group; the CustomerService key sees and works every ticket, a SalesRep only reads
/// tickets) and a lead demo-salesrep owns.
/// </summary>
public sealed class ApiAccessMatrixTests
{
    private const string Anonymous = "none";
    private const string AppRead = "app Api.Read";
    private const string AppWrite = "app Api.Write";
    private const string DelegatedRep = "delegated SalesRep";
    private const string WrongAudience = "token for another API";
    private const string Expired = "expired token";

    private static readonly string[] Callers =
    [
        nameof(Role.Admin), nameof(Role.Supervisor), nameof(Role.SalesRep), nameof(Role.CustomerService), nameof(Role.Analyst),
        AppRead, AppWrite, DelegatedRep, WrongAudience, Expired, Anonymous,
    ];

    /// <summary>Expected status per caller, in the order of <see cref="Callers"/>. Updates send a stale If-Match, so nothing changes.</summary>
    private static readonly (string Method, string Path, int[] Expected)[] Matrix =
    [
        // Keys: Admin, Supervisor, SalesRep, CustomerService, Analyst; Entra: read app, write app, rep2 delegated, wrong audience, expired; none.
        ("GET", "/api/v1/customers", [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401]),
        ("GET", "/api/v1/customers/{id}", [200, 200, 404, 200, 200, 200, 200, 404, 401, 401, 401]),
        ("GET", "/api/v1/customers/{unknown}", [404, 404, 404, 404, 404, 404, 404, 404, 401, 401, 401]),
        ("GET", "/api/v1/customers/by-number/{number}", [200, 200, 404, 200, 200, 200, 200, 404, 401, 401, 401]),
        ("POST", "/api/v1/customers", [201, 201, 201, 403, 403, 403, 201, 201, 401, 401, 401]),
        ("PUT", "/api/v1/customers/{id}", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("PUT", "/api/v1/customers/{id}/status", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("GET", "/api/v1/customers/{id}/contacts", [200, 200, 404, 200, 200, 200, 200, 404, 401, 401, 401]),
        ("POST", "/api/v1/customers/{id}/contacts", [201, 201, 404, 403, 403, 403, 201, 404, 401, 401, 401]),
        ("PUT", "/api/v1/customers/{id}/contacts/{contactId}/left", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("GET", "/api/v1/customers/{id}/interactions", [200, 200, 404, 200, 200, 200, 200, 404, 401, 401, 401]),
        ("POST", "/api/v1/customers/{id}/interactions", [201, 201, 404, 201, 403, 403, 201, 404, 401, 401, 401]),
        ("GET", "/api/v1/dictionaries", [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401]),
        ("GET", "/api/v1/dictionaries/interactionType", [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401]),
        ("GET", "/api/v1/dictionaries/shoeSize", [404, 404, 404, 404, 404, 404, 404, 404, 401, 401, 401]),
        // The target demand (with a task) is on one of demo-salesrep's customers; a new demand or task names the target customer and demo-salesrep.
        ("GET", "/api/v1/demands", [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401]),
        ("GET", "/api/v1/demands/{demand}", [200, 200, 404, 200, 200, 200, 200, 404, 401, 401, 401]),
        ("GET", "/api/v1/demands/{unknown}", [404, 404, 404, 404, 404, 404, 404, 404, 401, 401, 401]),
        ("POST", "/api/v1/demands", [201, 201, 400, 403, 403, 403, 201, 400, 401, 401, 401]),
        ("PUT", "/api/v1/demands/{demand}/status", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("PUT", "/api/v1/demands/{demand}/owner", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("GET", "/api/v1/demands/{demand}/tasks/{task}", [200, 200, 404, 200, 200, 200, 200, 404, 401, 401, 401]),
        ("POST", "/api/v1/demands/{demand}/tasks", [201, 201, 404, 403, 403, 403, 201, 404, 401, 401, 401]),
        ("PUT", "/api/v1/demands/{demand}/tasks/{task}/status", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("GET", "/api/v1/tickets", [200, 200, 200, 200, 200, 200, 200, 200, 401, 401, 401]),
        ("GET", "/api/v1/tickets/{ticket}", [200, 200, 404, 200, 200, 200, 200, 404, 401, 401, 401]),
        ("GET", "/api/v1/tickets/{unknown}", [404, 404, 404, 404, 404, 404, 404, 404, 401, 401, 401]),
        ("POST", "/api/v1/tickets", [201, 201, 403, 201, 403, 403, 201, 403, 401, 401, 401]),
        ("PUT", "/api/v1/tickets/{ticket}/assignee", [412, 412, 403, 412, 403, 403, 412, 403, 401, 401, 401]),
        ("POST", "/api/v1/tickets/{ticket}/resolve", [412, 412, 403, 412, 403, 403, 412, 403, 401, 401, 401]),
        ("POST", "/api/v1/tickets/{ticket}/comments", [201, 201, 403, 201, 403, 403, 201, 403, 401, 401, 401]),
        ("GET", "/api/v1/leads", [200, 200, 200, 403, 200, 200, 200, 200, 401, 401, 401]),
        ("GET", "/api/v1/leads/{lead}", [200, 200, 404, 403, 200, 200, 200, 404, 401, 401, 401]),
        ("GET", "/api/v1/leads/{unknown}", [404, 404, 404, 403, 404, 404, 404, 404, 401, 401, 401]),
        ("GET", "/api/v1/leads/{lead}/matches", [200, 200, 404, 403, 200, 200, 200, 404, 401, 401, 401]),
        ("POST", "/api/v1/leads", [201, 201, 201, 403, 403, 403, 201, 201, 401, 401, 401]),
        ("PUT", "/api/v1/leads/{lead}/owner", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("PUT", "/api/v1/leads/{lead}/status", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
        ("POST", "/api/v1/leads/{lead}/convert", [412, 412, 404, 403, 403, 403, 412, 404, 401, 401, 401]),
    ];

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_endpoint_answers_each_roles_key_and_no_key_as_the_matrix_and_scope_say(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        var team = await app.SupervisedTeamAsync();
        var tokens = new Dictionary<string, string?> { [Anonymous] = null };
        foreach (var role in Enum.GetValues<Role>())
        {
            tokens[role.ToString()] = (await app.IssueKeyAsync($"{role} system", role, role is Role.Supervisor or Role.SalesRep ? team : null)).Token;
        }
        tokens[AppRead] = app.Tokens.Application("0a1b2c3d-read", "BI", "Api.Read");
        tokens[AppWrite] = app.Tokens.Application("0a1b2c3d-write", "ERP", "Api.Write");
        tokens[DelegatedRep] = app.Tokens.Delegated("demo-salesrep2");
        tokens[WrongAudience] = app.Tokens.Mint(new() { ["azp"] = "0a1b2c3d-write", ["roles"] = new[] { "Api.Write" } }, audience: "api://another-api");
        tokens[Expired] = app.Tokens.Mint(new() { ["azp"] = "0a1b2c3d-write", ["roles"] = new[] { "Api.Write" } }, validFor: TimeSpan.FromMinutes(-1));
        await using var db = app.NewSystemContext();
        var target = await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => new { c.Id, c.Number, OwnerId = c.OwnerId!.Value }).FirstAsync();
        var contactId = await db.Contacts.Where(k => k.CustomerId == target.Id).OrderBy(k => k.Id).Select(k => k.Id).FirstAsync();
        var demand = await db.Demands.Where(d => d.OwnerId == target.OwnerId && d.Tasks.Any()).OrderBy(d => d.Number)
            .Select(d => new { d.Id, Task = d.Tasks.OrderBy(t => t.PlannedAt).Select(t => t.Id).First() }).FirstAsync();
        var ticket = await app.AsAsync<TicketService, TicketRef>("demo-admin", tickets => tickets.CreateAsync(
            new TicketInput(target.Id, null, "usage", null, "无法导出报表", "客户来电：导出按钮无反应。", TicketSeverity.Medium, TicketChannel.Phone)));
        var lead = await app.AsAsync<LeadService, Lead>("demo-salesrep", leads => leads.CreateAsync(
            new LeadInput { Company = "扬州恒通物流有限公司", ContactName = "周涛", Mobile = "13600136000" }));

        var failures = new List<string>();
        foreach (var (method, path, expected) in Matrix)
        {
            var url = path.Replace("{id}", target.Id.ToString(), StringComparison.Ordinal)
                .Replace("{demand}", demand.Id.ToString(), StringComparison.Ordinal)
                .Replace("{task}", demand.Task.ToString(), StringComparison.Ordinal)
                .Replace("{unknown}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{number}", target.Number, StringComparison.Ordinal)
                .Replace("{contactId}", contactId.ToString(), StringComparison.Ordinal)
                .Replace("{ticket}", ticket.Id.ToString(), StringComparison.Ordinal)
                .Replace("{lead}", lead.Id.ToString(), StringComparison.Ordinal);
            for (var i = 0; i < Callers.Length; i++)
            {
                using var client = app.Client(tokens[Callers[i]]);
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = BodyFor(method, path, target.Id, target.OwnerId) };
                request.Headers.IfMatch.ParseAdd("\"0\"");
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode != expected[i])
                {
                    failures.Add($"{method} {path} as {Callers[i]}: expected {expected[i]}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (expected[i] >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{method} {path} as {Callers[i]}: {(int)response.StatusCode} without problem details");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_sales_rep_key_lists_only_its_own_customers_and_finds_no_other_reps_customer(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        var issued = await app.IssueKeyAsync("Website form", Role.SalesRep, await app.SupervisedTeamAsync());
        using var client = app.Client(issued.Token);
        var own = await client.PostAsJsonAsync("/api/v1/customers", new { name = "无锡澄光照明电器有限公司", keyContact = new { name = "陈静", mobile = "13800138000" } });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        await using var db = app.NewSystemContext();
        var someoneElses = await db.Customers.Where(c => c.OwnerId != issued.Key.UserId).OrderBy(c => c.Number).Select(c => new { c.Id, c.Name }).FirstAsync();

        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/customers?pageSize=500");
        var searched = await client.GetFromJsonAsync<JsonElement>($"/api/v1/customers?search={Uri.EscapeDataString(someoneElses.Name)}");
        using var direct = await client.GetAsync($"/api/v1/customers/{someoneElses.Id}");

        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(200, list.GetProperty("pageSize").GetInt32()); // capped
        var row = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("无锡澄光照明电器有限公司", row.GetProperty("name").GetString());
        Assert.Equal("API: Website form", row.GetProperty("ownerName").GetString());
        Assert.Equal(0, searched.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        Assert.DoesNotContain(someoneElses.Name, await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static JsonContent? BodyFor(string method, string path, Guid customerId, Guid ownerId) => (method, path) switch
    {
        ("POST", var p) when p.EndsWith("/contacts", StringComparison.Ordinal) => JsonContent.Create(new { name = "孙丽", mobile = "13600136000" }),
        ("POST", var p) when p.EndsWith("/interactions", StringComparison.Ordinal) => JsonContent.Create(new { type = "phone", at = "2031-03-10T01:00:00Z", summary = "电话确认到货时间" }),
        ("POST", "/api/v1/demands") => JsonContent.Create(new { customerId, description = "对接 ERP 订单接口", type = "existing", priority = "high" }),
        ("POST", var p) when p.EndsWith("/tasks", StringComparison.Ordinal) => JsonContent.Create(new { name = "梳理接口字段", ownerId, plannedAt = ApiTestApp.Start.UtcDateTime.AddDays(3) }),
        ("PUT", var p) when p.EndsWith("/owner", StringComparison.Ordinal) => JsonContent.Create(new { ownerId }),
        ("PUT", var p) when p.StartsWith("/api/v1/demands", StringComparison.Ordinal) => JsonContent.Create(new { status = "inProgress" }),
        ("POST", "/api/v1/tickets") => JsonContent.Create(new { customerId, category = "bug", title = "登录失败", description = "客户来电：登录后提示密码错误。", severity = "high" }),
        ("PUT", var p) when p.EndsWith("/assignee", StringComparison.Ordinal) => JsonContent.Create(new { assigneeId = Guid.NewGuid() }),
        ("POST", var p) when p.EndsWith("/resolve", StringComparison.Ordinal) => JsonContent.Create(new { reply = "已处理" }),
        ("POST", var p) when p.EndsWith("/comments", StringComparison.Ordinal) => JsonContent.Create(new { body = "已电话回访", isInternal = true }),
        ("POST", "/api/v1/leads") => JsonContent.Create(new { company = "泰州远航船舶配件有限公司", contactName = "孙伟", mobile = "13500135000" }),
        ("POST", var p) when p.EndsWith("/convert", StringComparison.Ordinal) => JsonContent.Create(new { opportunityName = "仓储系统", amount = 120000m, expectedCloseOn = "2031-06-30" }),
        ("POST", _) => JsonContent.Create(new { name = "常州新锐包装材料有限公司", keyContact = new { name = "赵敏", mobile = "13700137000" } }),
        ("PUT", var p) when p.EndsWith("/status", StringComparison.Ordinal) => JsonContent.Create(new { status = "active", reason = "签约" }),
        ("PUT", _) => JsonContent.Create(new { name = "改名后的公司" }),
        _ => null,
    };
}
