using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Interactions;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Api;

/// <summary>Issue 16: a customer's contacts and interactions and the dictionaries, through real HTTP and the services the pages use.</summary>
public sealed class CustomerRecordsApiTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_contact_added_and_marked_left_through_the_api_is_seen_so_by_the_customers_get_and_the_last_key_contact_stays(DatabaseProvider provider)
    {
        await using var app = await ApiTestApp.CreateAsync(provider);
        using var client = app.Client((await app.IssueKeyAsync("ERP", Role.Supervisor, await app.SupervisedTeamAsync())).Token, "en");
        var id = await DemoSalesRepCustomerAsync(app);
        var customerEtag = (await client.GetAsync($"/api/v1/customers/{id}")).Headers.ETag!.Tag;
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // a later change than the seed's

        using var added = await client.PostAsJsonAsync($"/api/v1/customers/{id}/contacts", new { name = "孙丽", title = "采购经理", mobile = "136 0013 6000", isKey = true });
        var contact = await added.Content.ReadFromJsonAsync<JsonElement>();
        var contactId = contact.GetProperty("id").GetGuid();
        using var withoutIfMatch = await client.PutAsync($"/api/v1/customers/{id}/contacts/{contactId}/left", null);
        using var left = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}/contacts/{contactId}/left", added.Headers.ETag!.Tag);
        using var staleLeft = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}/contacts/{contactId}/left", added.Headers.ETag!.Tag);
        var customer = await client.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}");
        var listed = await client.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}/contacts");
        using var staleCustomerUpdate = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}", customerEtag, new { name = customer.GetProperty("name").GetString() });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(("13600136000", true, false), (contact.GetProperty("mobile").GetString(), contact.GetProperty("isKey").GetBoolean(), contact.GetProperty("hasLeft").GetBoolean()));
        Assert.Equal(HttpStatusCode.PreconditionRequired, withoutIfMatch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        Assert.Equal($"\"{contact.GetProperty("version").GetInt32() + 1}\"", left.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleLeft.StatusCode);
        var seen = customer.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == contactId);
        Assert.Equal(("孙丽", true, false), (seen.GetProperty("name").GetString(), seen.GetProperty("hasLeft").GetBoolean(), seen.GetProperty("isKey").GetBoolean()));
        var items = listed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(customer.GetProperty("contacts").GetArrayLength(), items.Count);
        Assert.True(items[^1].GetProperty("hasLeft").GetBoolean()); // those who left come last
        Assert.Contains(items, c => c.GetProperty("id").GetGuid() == contactId && c.GetProperty("hasLeft").GetBoolean());
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleCustomerUpdate.StatusCode); // the contact changes moved the customer's version

        // The rule of the page: the customer's last key contact cannot leave.
        var keys = items.Where(c => c.GetProperty("isKey").GetBoolean() && !c.GetProperty("hasLeft").GetBoolean()).ToList();
        foreach (var key in keys.Skip(1))
        {
            using var ok = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}/contacts/{key.GetProperty("id").GetGuid()}/left", $"\"{key.GetProperty("version").GetInt32()}\"");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        var last = keys[0];
        using var refused = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}/contacts/{last.GetProperty("id").GetGuid()}/left", $"\"{last.GetProperty("version").GetInt32()}\"");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["A customer keeps at least one key contact: make another contact key first."],
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("isKey").EnumerateArray().Select(e => e.GetString()));
        await using var db = app.NewSystemContext();
        Assert.False(await db.Contacts.Where(c => c.Id == last.GetProperty("id").GetGuid()).Select(c => c.HasLeft).SingleAsync());
    }

    [Fact]
    public async Task An_interaction_logged_through_the_api_is_listed_first_and_the_timeline_and_audit_name_the_key()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        var issued = await app.IssueKeyAsync("Call centre", Role.Supervisor, await app.SupervisedTeamAsync());
        using var client = app.Client(issued.Token);
        var id = await DemoSalesRepCustomerAsync(app);
        await using var db = app.NewSystemContext();
        var rep = await db.Users.Where(u => u.ExternalId == "demo-salesrep").Select(u => u.Id).SingleAsync();
        var contactId = await db.Contacts.Where(c => c.CustomerId == id).Select(c => c.Id).FirstAsync();
        var at = ApiTestApp.Start.UtcDateTime;

        using var logged = await client.PostAsJsonAsync($"/api/v1/customers/{id}/interactions", new
        {
            type = "phone", at, topic = "来电咨询扩容", summary = "客户来电询问 50 个账号的扩容报价", contactIds = new[] { contactId },
            todos = new[] { new { what = "回电给出扩容报价", ownerId = rep, dueAt = at.AddDays(2) } },
        });
        var created = await logged.Content.ReadFromJsonAsync<JsonElement>();
        var interactionId = created.GetProperty("id").GetGuid();
        var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{id}/interactions?pageSize=1");
        var profile = await app.AsAsync<CustomerQueries, CustomerProfile>("demo-admin", q => q.GetProfileAsync(id));

        Assert.Equal(HttpStatusCode.Created, logged.StatusCode);
        Assert.Equal(at, created.GetProperty("at").GetDateTime().ToUniversalTime());
        Assert.Equal((1, 1), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()));
        Assert.True(page.GetProperty("total").GetInt32() >= 1);
        var first = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(interactionId, first.GetProperty("id").GetGuid());
        Assert.Equal(("API: Call centre", issued.Key.UserId), (first.GetProperty("byName").GetString(), first.GetProperty("byId").GetGuid()));
        Assert.Equal([contactId], first.GetProperty("contactIds").EnumerateArray().Select(c => c.GetGuid()));
        var todo = Assert.Single(first.GetProperty("todos").EnumerateArray());
        Assert.Equal(("回电给出扩容报价", rep), (todo.GetProperty("what").GetString(), todo.GetProperty("ownerId").GetGuid()));
        var entry = profile.Timeline.First(e => e.Kind == InteractionTimelineSource.Kind);
        Assert.Equal(("API: Call centre", "来电咨询扩容"), (entry.Actor, entry.Values[1]));
        Assert.Equal(at, profile.Customer.LastContactAt);
        var audit = await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(Interaction) && a.EntityId == interactionId.ToString() && a.Action == AuditAction.Create);
        Assert.Equal(("API: Call centre", issued.Key.UserId), (audit.UserName, audit.UserId!.Value));
        var dedupKey = $"{CrmBlazor.Domain.Notifications.NotificationKinds.TodoAssigned}:{todo.GetProperty("id").GetGuid()}";
        Assert.Equal(1, await db.Notifications.CountAsync(n => n.UserId == rep && n.DedupKey == dedupKey)); // the rep given the to-do hears of it
    }

    [Theory]
    [InlineData("zh-CN", "“12345”不是有效的手机号（应为13–19开头的11位数字，或带+国家码的国际号码）。", "请选择互动方式。")]
    [InlineData("en", "12345 is not a valid mobile number (11 digits starting 13–19, or +country code).", "Choose how you were in touch.")]
    public async Task A_bad_contact_and_an_interaction_without_a_type_get_field_errors_in_the_requested_language(string language, string mobileMessage, string typeMessage)
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client((await app.IssueKeyAsync("ERP", Role.Admin)).Token, language);
        var id = await DemoSalesRepCustomerAsync(app);

        using var contact = await client.PostAsJsonAsync($"/api/v1/customers/{id}/contacts", new { name = "刘洋", mobile = "12345" });
        using var interaction = await client.PostAsJsonAsync($"/api/v1/customers/{id}/interactions", new { at = "2031-03-10T09:00:00", summary = "拜访" });

        Assert.Equal(HttpStatusCode.BadRequest, contact.StatusCode);
        Assert.Equal("application/problem+json", contact.Content.Headers.ContentType?.MediaType);
        var contactErrors = (await contact.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([mobileMessage], contactErrors.GetProperty("mobile").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, interaction.StatusCode);
        var interactionErrors = (await interaction.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["type"], interactionErrors.EnumerateObject().Select(p => p.Name));
        Assert.Equal([typeMessage], interactionErrors.GetProperty("type").EnumerateArray().Select(e => e.GetString()));
        await using var db = app.NewSystemContext();
        Assert.DoesNotContain(db.Contacts, c => c.Name == "刘洋");
        Assert.DoesNotContain(db.Interactions, i => i.Summary == "拜访");
    }

    [Fact]
    public async Task A_sales_rep_key_finds_no_contacts_or_interactions_of_another_reps_customer_and_adds_none()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client((await app.IssueKeyAsync("Website form", Role.SalesRep, await app.SupervisedTeamAsync())).Token);
        var id = await DemoSalesRepCustomerAsync(app);
        await using var db = app.NewSystemContext();
        var contactId = await db.Contacts.Where(c => c.CustomerId == id).Select(c => c.Id).FirstAsync();
        var (contacts, interactions) = (await db.Contacts.CountAsync(c => c.CustomerId == id), await db.Interactions.CountAsync(i => i.CustomerId == id));

        using var list = await client.GetAsync($"/api/v1/customers/{id}/contacts");
        using var add = await client.PostAsJsonAsync($"/api/v1/customers/{id}/contacts", new { name = "孙丽" });
        using var left = await SendAsync(client, HttpMethod.Put, $"/api/v1/customers/{id}/contacts/{contactId}/left", "\"1\"");
        using var history = await client.GetAsync($"/api/v1/customers/{id}/interactions");
        using var log = await client.PostAsJsonAsync($"/api/v1/customers/{id}/interactions", new { type = "phone", at = "2031-03-10T01:00:00Z", summary = "来电" });

        Assert.All(new[] { list, add, left, history, log }, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal((contacts, interactions), (await db.Contacts.CountAsync(c => c.CustomerId == id), await db.Interactions.CountAsync(i => i.CustomerId == id)));
        Assert.False(await db.Contacts.Where(c => c.Id == contactId).Select(c => c.HasLeft).SingleAsync());
    }

    [Fact]
    public async Task The_dictionaries_are_listed_and_a_dictionary_lists_its_items_in_order_with_inactive_ones_flagged()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client((await app.IssueKeyAsync("BI", Role.Analyst)).Token, "zh-CN");
        _ = app.Factory.Server;
        await using (var db = app.NewSystemContext())
        {
            var care = await db.DictionaryItems.SingleAsync(d => d.Kind == DictionaryKind.InteractionType && d.Code == "care");
            care.IsActive = false;
            await db.SaveChangesAsync();
        }

        var kinds = await client.GetFromJsonAsync<JsonElement>("/api/v1/dictionaries");
        var types = await client.GetFromJsonAsync<JsonElement>("/api/v1/dictionaries/InteractionType");
        using var unknown = await client.GetAsync("/api/v1/dictionaries/1");

        Assert.Equal(Enum.GetValues<DictionaryKind>().Length, kinds.GetProperty("items").GetArrayLength());
        Assert.Contains(kinds.GetProperty("items").EnumerateArray(), k => k.GetProperty("kind").GetString() == "interactionType" && k.GetProperty("name").GetString() == "互动类型");
        Assert.Equal(("interactionType", "互动类型"), (types.GetProperty("kind").GetString(), types.GetProperty("name").GetString()));
        var items = types.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(items.OrderBy(i => i.GetProperty("order").GetInt32()).Select(i => i.GetProperty("code").GetString()), items.Select(i => i.GetProperty("code").GetString()));
        var phone = items.Single(i => i.GetProperty("code").GetString() == "phone");
        Assert.Equal(("电话沟通", "Phone call", true), (phone.GetProperty("labelZh").GetString(), phone.GetProperty("labelEn").GetString(), phone.GetProperty("isActive").GetBoolean()));
        Assert.False(items.Single(i => i.GetProperty("code").GetString() == "care").GetProperty("isActive").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<Guid> DemoSalesRepCustomerAsync(ApiTestApp app)
    {
        _ = app.Factory.Server;
        await using var db = app.NewSystemContext();
        return await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string etag, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return client.SendAsync(request);
    }
}
