using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Api;

/// <summary>
/// Issue 16, <c>/api/v1/tickets</c> through real HTTP: the call-centre telephony (a CustomerService key) logs a ticket that is
/// routed, assigned and timed as the UI's; a supervisor reassigns it under If-Match; the agent replies and resolves it
/// (428 without If-Match, 412 when stale); scope and filters as the ticket list's.
/// </summary>
public sealed class ServiceDeskApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_ticket_logged_by_the_telephony_is_routed_timed_reassigned_and_resolved_under_if_match(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        using var telephony = app.Client((await app.IssueKeyAsync("Call centre", Role.CustomerService)).Token);
        using var supervisor = app.Client((await app.IssueKeyAsync("Desk lead", Role.Supervisor, await app.SupervisedTeamAsync())).Token);
        Guid customerId;
        await using (var db = app.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        }

        using var created = await telephony.PostAsJsonAsync("/api/v1/tickets",
            new { customerId, category = "usage", title = "报表导出按钮无反应", description = "客户来电：点击导出后没有任何提示。", severity = "high" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticket = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = ticket.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/tickets/{id}", created.Headers.Location!.OriginalString);
        Assert.StartsWith("TK2031", ticket.GetProperty("number").GetString(), StringComparison.Ordinal);
        Assert.Equal("high", ticket.GetProperty("severity").GetString());
        Assert.Equal("phone", ticket.GetProperty("channel").GetString());
        // Routed as the UI's tickets are: "usage" belongs to the front-line group, which hands out in turn.
        Assert.Equal("一线支持组", ticket.GetProperty("groupName").GetString());
        Assert.Equal("assigned", ticket.GetProperty("status").GetString());
        var routedTo = ticket.GetProperty("assigneeId").GetGuid();
        var sla = ticket.GetProperty("sla");
        Assert.Equal(ApiTestApp.Start.UtcDateTime, ticket.GetProperty("createdAt").GetDateTime());
        Assert.True(sla.GetProperty("responseDueAt").GetDateTime() > ApiTestApp.Start.UtcDateTime);
        Assert.True(sla.GetProperty("resolutionDueAt").GetDateTime() > sla.GetProperty("responseDueAt").GetDateTime());
        Assert.False(sla.GetProperty("responseBreached").GetBoolean());
        Assert.EndsWith("Z", sla.GetProperty("responseDueAt").GetString(), StringComparison.Ordinal);

        using var read = await supervisor.GetAsync($"/api/v1/tickets/{id}");
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal(created.Headers.ETag!.Tag, etag);
        Assert.Equal($"\"{ticket.GetProperty("version").GetInt32()}\"", etag);

        Guid otherAgent;
        await using (var db = app.NewSystemContext())
        {
            otherAgent = await db.SupportGroupMembers.Where(m => m.GroupId == ticket.GetProperty("groupId").GetGuid() && m.Role == SupportGroupRole.Agent && m.UserId != routedTo)
                .Select(m => m.UserId).FirstAsync();
        }
        using var withoutIfMatch = await supervisor.PutAsJsonAsync($"/api/v1/tickets/{id}/assignee", new { assigneeId = otherAgent });
        using var reassigned = await supervisor.SendAsync(HttpMethod.Put, $"/api/v1/tickets/{id}/assignee", new { assigneeId = otherAgent }, etag);
        using var stale = await telephony.SendAsync(HttpMethod.Post, $"/api/v1/tickets/{id}/resolve", new { reply = "请更新到最新版本。" }, etag);
        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutIfMatch.StatusCode);
        Assert.Equal("application/problem+json", withoutIfMatch.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, reassigned.StatusCode);
        Assert.Equal(otherAgent, (await reassigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("assigneeId").GetGuid());
        Assert.NotEqual(etag, reassigned.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);

        using var note = await telephony.PostAsJsonAsync($"/api/v1/tickets/{id}/comments", new { body = "已远程查看，浏览器拦截了下载。", isInternal = true });
        Assert.Equal(HttpStatusCode.Created, note.StatusCode);
        Assert.True((await note.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("isInternal").GetBoolean());
        using var current = await telephony.GetAsync($"/api/v1/tickets/{id}");
        Assert.Equal(note.Headers.ETag!.Tag, current.Headers.ETag!.Tag);
        using var resolved = await telephony.SendAsync(HttpMethod.Post, $"/api/v1/tickets/{id}/resolve", new { reply = "请允许浏览器下载后重试。" }, current.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var after = await resolved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("resolved", after.GetProperty("status").GetString());
        Assert.Equal($"\"{after.GetProperty("version").GetInt32()}\"", resolved.Headers.ETag!.Tag);
        Assert.Equal(["已远程查看，浏览器拦截了下载。", "请允许浏览器下载后重试。"], after.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("body").GetString()));
        Assert.Equal(ApiTestApp.Start.UtcDateTime, after.GetProperty("sla").GetProperty("firstResponseAt").GetDateTime()); // the reply was the first response
        await using (var db = app.NewSystemContext())
        {
            var stored = await db.Tickets.SingleAsync(t => t.Id == id);
            Assert.Equal(TicketStatus.Resolved, stored.Status);
            Assert.Equal(otherAgent, stored.AssigneeId);
            Assert.Equal(1, await db.TicketComments.CountAsync(c => c.TicketId == id && !c.IsInternal));
            Assert.Contains(await db.TicketHistory.Where(h => h.TicketId == id).Select(h => h.Field).ToListAsync(), f => f == TicketFields.Assignee);
        }
    }

    [Fact]
    public async Task The_list_filters_as_the_ticket_list_does_and_a_sales_rep_key_sees_no_other_reps_ticket()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var desk = app.Client((await app.IssueKeyAsync("Call centre", Role.CustomerService)).Token);
        using var rep = app.Client((await app.IssueKeyAsync("Rep tool", Role.SalesRep, await app.SupervisedTeamAsync())).Token);
        Guid customerId;
        await using (var db = app.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep2").OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        }
        using var created = await desk.PostAsJsonAsync("/api/v1/tickets",
            new { customerId, category = "data", title = "十二月回款金额缺失", description = "ERP 中已回款，CRM 未显示。", severity = "low", channel = "email" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var byCustomer = await desk.GetFromJsonAsync<JsonElement>($"/api/v1/tickets?customerId={customerId}&status=assigned");
        var bySearch = await desk.GetFromJsonAsync<JsonElement>($"/api/v1/tickets?search={Uri.EscapeDataString("回款金额")}");
        var resolvedOnly = await desk.GetFromJsonAsync<JsonElement>($"/api/v1/tickets?customerId={customerId}&status=resolved");
        using var badStatus = await desk.GetAsync("/api/v1/tickets?status=solved");
        var repList = await rep.GetFromJsonAsync<JsonElement>($"/api/v1/tickets?customerId={customerId}");
        using var repDirect = await rep.GetAsync($"/api/v1/tickets/{id}");

        Assert.Contains(byCustomer.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.All(byCustomer.GetProperty("items").EnumerateArray(), t => Assert.Equal(customerId, t.GetProperty("customerId").GetGuid()));
        Assert.Equal(id, Assert.Single(bySearch.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.DoesNotContain(resolvedOnly.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus.StatusCode);
        Assert.Contains("status", (await badStatus.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0, repList.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, repDirect.StatusCode);
        Assert.DoesNotContain("回款金额", await repDirect.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
