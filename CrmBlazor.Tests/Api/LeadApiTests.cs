using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Api;

/// <summary>
/// Issue 16, <c>/api/v1/leads</c> through real HTTP: the website's contact form (a key) drops a lead into the team's pool; a
/// supervisor gives it to a rep under If-Match (428 without, 412 when stale); the rep, through their own Entra token,
/// converts it into a new customer and an opportunity; a SalesRep key finds no other rep's lead (404).
/// </summary>
public sealed class LeadApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_lead_from_the_website_is_assigned_under_if_match_and_converted_into_a_new_customer(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        var team = await app.SupervisedTeamAsync();
        using var website = app.Client((await app.IssueKeyAsync("Website form", Role.SalesRep, team)).Token);
        using var supervisor = app.Client((await app.IssueKeyAsync("Lead desk", Role.Supervisor, team)).Token);
        using var rep = app.Client(app.Tokens.Delegated("demo-salesrep"));
        Guid repId;
        await using (var db = app.NewSystemContext())
        {
            repId = await db.Users.Where(u => u.ExternalId == "demo-salesrep").Select(u => u.Id).SingleAsync();
        }

        using var created = await website.PostAsJsonAsync("/api/v1/leads",
            new { company = "南通瑞丰纺织科技有限公司", contactName = "钱进", mobile = "13900139000", source = "website", notes = "官网留言：咨询 50 人规模的方案。", toPool = true, teamId = team });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lead = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = lead.GetProperty("id").GetGuid();
        Assert.StartsWith("LD2031", lead.GetProperty("number").GetString(), StringComparison.Ordinal);
        Assert.True(lead.GetProperty("inPool").GetBoolean());
        Assert.Equal(team, lead.GetProperty("teamId").GetGuid());
        Assert.Equal("new", lead.GetProperty("status").GetString());

        using var read = await supervisor.GetAsync($"/api/v1/leads/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal(created.Headers.ETag!.Tag, etag);
        Assert.Equal($"\"{lead.GetProperty("version").GetInt32()}\"", etag);

        using var withoutIfMatch = await supervisor.PutAsJsonAsync($"/api/v1/leads/{id}/owner", new { ownerId = repId });
        using var assigned = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/leads/{id}/owner", new { ownerId = repId }, etag);
        using var stale = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/leads/{id}/owner", new { ownerId = repId }, etag);
        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutIfMatch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var afterAssign = await assigned.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(repId, afterAssign.GetProperty("ownerId").GetGuid());
        Assert.False(afterAssign.GetProperty("awaitingApproval").GetBoolean());
        Assert.Equal($"\"{afterAssign.GetProperty("version").GetInt32()}\"", assigned.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);

        // The rep qualifies it on the lead page; the API's ETag from before is stale then.
        var qualified = await app.AsAsync<LeadService, Lead>("demo-salesrep", s => s.SetStatusAsync(id, afterAssign.GetProperty("version").GetInt32(), LeadStatus.Qualified));
        var conversion = new { opportunityName = "ERP 集成项目", amount = 186000.50m, expectedCloseOn = "2031-06-30" };
        using var staleConvert = await rep.SendAsync(HttpMethod.Post, $"/api/v1/leads/{id}/convert", conversion, assigned.Headers.ETag!.Tag);
        using var converted = await rep.SendAsync(HttpMethod.Post, $"/api/v1/leads/{id}/convert", conversion, $"\"{qualified.Version}\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, staleConvert.StatusCode);
        Assert.Equal(HttpStatusCode.OK, converted.StatusCode);
        var result = await converted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(result.GetProperty("customerCreated").GetBoolean());
        var customerId = result.GetProperty("customerId").GetGuid();
        var opportunityId = result.GetProperty("opportunityId").GetGuid();
        Assert.Equal("converted", result.GetProperty("lead").GetProperty("status").GetString());
        Assert.Equal(customerId, result.GetProperty("lead").GetProperty("customerId").GetGuid());
        Assert.Equal(opportunityId, result.GetProperty("lead").GetProperty("opportunityId").GetGuid());
        var customer = await rep.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}");
        Assert.Equal("南通瑞丰纺织科技有限公司", customer.GetProperty("name").GetString());
        Assert.Equal(result.GetProperty("customerNumber").GetString(), customer.GetProperty("number").GetString());
        Assert.Equal(repId, customer.GetProperty("ownerId").GetGuid());
        var keyContact = Assert.Single(customer.GetProperty("contacts").EnumerateArray());
        Assert.Equal("钱进", keyContact.GetProperty("name").GetString());
        Assert.True(keyContact.GetProperty("isKey").GetBoolean());
        await using (var db = app.NewSystemContext())
        {
            var opportunity = await db.Opportunities.SingleAsync(o => o.Id == opportunityId);
            Assert.Equal((customerId, "ERP 集成项目", 18600050L, repId), (opportunity.CustomerId, opportunity.Name, opportunity.AmountFen, opportunity.OwnerId));
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_lead_that_is_an_existing_customer_shows_it_as_a_match_and_converts_onto_it(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        using var rep = app.Client(app.Tokens.Delegated("demo-salesrep"));
        _ = app.Factory.Server;
        Guid customerId;
        string name;
        int customers;
        await using (var db = app.NewSystemContext())
        {
            (customerId, name) = await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number)
                .Select(c => new ValueTuple<Guid, string>(c.Id, c.Name)).FirstAsync();
            customers = await db.Customers.CountAsync();
        }
        using var created = await rep.PostAsJsonAsync("/api/v1/leads", new { company = name, contactName = "郑凯", email = "zhengkai@example.cn" });
        var lead = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = lead.GetProperty("id").GetGuid();
        var etag = $"\"{lead.GetProperty("version").GetInt32()}\"";
        using var converting = await rep.SendAsync(HttpMethod.Put, $"/api/v1/leads/{id}/status", new { status = "converted" }, etag);
        using var noReason = await rep.SendAsync(HttpMethod.Put, $"/api/v1/leads/{id}/status", new { status = "disqualified", reason = " " }, etag);
        using var qualifying = await rep.SendAsync(HttpMethod.Put, $"/api/v1/leads/{id}/status", new { status = "qualified" }, etag);
        Assert.Equal(HttpStatusCode.BadRequest, converting.StatusCode); // converting has its own call
        Assert.True((await converting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.OK, qualifying.StatusCode);
        var qualified = await qualifying.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("qualified", qualified.GetProperty("status").GetString());

        var matches = await rep.GetFromJsonAsync<JsonElement>($"/api/v1/leads/{id}/matches");
        var strongest = matches.EnumerateArray().First();
        Assert.Equal(customerId, strongest.GetProperty("customerId").GetGuid());
        Assert.Contains("sameName", strongest.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.True(strongest.GetProperty("mayAttach").GetBoolean());
        using var converted = await rep.SendAsync(HttpMethod.Post, $"/api/v1/leads/{id}/convert",
            new { attachToCustomerId = customerId, amount = 30000m, expectedCloseOn = "2031-04-30" }, qualifying.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, converted.StatusCode);
        var result = await converted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(result.GetProperty("customerCreated").GetBoolean());
        Assert.Equal(customerId, result.GetProperty("customerId").GetGuid());
        await using (var db = app.NewSystemContext())
        {
            Assert.Equal(customers, await db.Customers.CountAsync());
            var opportunity = await db.Opportunities.SingleAsync(o => o.Id == result.GetProperty("opportunityId").GetGuid());
            Assert.Equal(customerId, opportunity.CustomerId);
            Assert.Contains(name, opportunity.Name, StringComparison.Ordinal); // named after the company, as the convert dialog does
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_sales_rep_key_gets_404_for_another_reps_lead_and_never_lists_it(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        using var key = app.Client((await app.IssueKeyAsync("Rep tool", Role.SalesRep, await app.SupervisedTeamAsync())).Token);
        var others = await app.AsAsync<LeadService, Lead>("demo-salesrep2", s => s.CreateAsync(
            new LeadInput { Company = "盐城海晟新能源有限公司", ContactName = "吴敏", Email = "wumin@haisheng.example.cn" }));
        var conversion = new { opportunityName = "储能监控", amount = 50000m, expectedCloseOn = "2031-05-31" };

        using var direct = await key.GetAsync($"/api/v1/leads/{others.Id}");
        using var assign = await key.SendAsync(HttpMethod.Put, $"/api/v1/leads/{others.Id}/owner", new { ownerId = Guid.NewGuid() }, $"\"{others.Version}\"");
        using var convert = await key.SendAsync(HttpMethod.Post, $"/api/v1/leads/{others.Id}/convert", conversion, $"\"{others.Version}\"");
        var searched = await key.GetFromJsonAsync<JsonElement>($"/api/v1/leads?search={Uri.EscapeDataString("海晟")}");
        var all = await key.GetFromJsonAsync<JsonElement>("/api/v1/leads?pageSize=200");

        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        Assert.Equal("application/problem+json", direct.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("海晟", await direct.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, assign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, convert.StatusCode);
        Assert.Equal(0, searched.GetProperty("total").GetInt32());
        Assert.DoesNotContain(all.GetProperty("items").EnumerateArray(), l => l.GetProperty("id").GetGuid() == others.Id);
        await using var db = app.NewSystemContext();
        Assert.Equal(LeadStatus.New, await db.Leads.Where(l => l.Id == others.Id).Select(l => l.Status).SingleAsync());
    }
}
