using System.Net;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Access;

/// <summary>
/// SPEC A2/A3, issue 12: every route the app maps — pages, endpoints, the hub — read from the app's own
/// endpoint table, requested as every role and as nobody, against the expected rule for that route. A
/// route added without a row here fails the test; so does a row whose route is gone.
/// </summary>
public sealed class RouteAccessMatrixTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private abstract record Rule;
    private sealed record Anyone : Rule;
    private sealed record SignedIn : Rule;
    /// <summary>The matrix's permission, or <paramref name="AlsoRole"/> whatever the matrix says (a Domain rule, as tags for Supervisors).</summary>
    private sealed record Needs(Module Module, Operation Operation, Role? AlsoRole = null) : Rule;
    private sealed record ShowsDenied : Rule;
    /// <summary>Ends the session: everyone lands on the sign-in page (its own tests check the cookie is gone).</summary>
    private sealed record SignsOut : Rule;

    private enum Outcome { Allowed, SignIn, Denied }

    /// <summary>The expected rule of each route, keyed "PAGE /path" for pages and "METHOD /path" for endpoints.</summary>
    private static readonly Dictionary<string, Rule> Expected = new()
    {
        ["PAGE /"] = new SignedIn(),
        ["PAGE /account/signin"] = new Anyone(),
        ["PAGE /account/denied"] = new ShowsDenied(),
        ["PAGE /not-found"] = new Anyone(),
        ["PAGE /error"] = new Anyone(),
        ["PAGE /notifications"] = new SignedIn(),
        ["PAGE /approvals"] = new SignedIn(),
        ["PAGE /customers"] = new Needs(Module.Customers, Operation.View),
        ["PAGE /customers/{Id:guid}"] = new Needs(Module.Customers, Operation.View),
        ["PAGE /customers/import"] = new Needs(Module.Importing, Operation.Import),
        ["PAGE /customers/import/contacts"] = new Needs(Module.Importing, Operation.Import),
        ["GET /customers/import/contacts/template"] = new Needs(Module.Importing, Operation.Import),
        ["GET /customers/import/contacts/{id:guid}/errors"] = new Needs(Module.Importing, Operation.Import),
        ["PAGE /data-quality"] = new Needs(Module.Customers, Operation.View),
        ["PAGE /demands"] = new Needs(Module.Demands, Operation.View),
        ["PAGE /demands/tasks"] = new Needs(Module.Demands, Operation.View),
        ["PAGE /demands/{Id:guid}"] = new Needs(Module.Demands, Operation.View),
        ["PAGE /pipeline"] = new Needs(Module.Pipeline, Operation.View),
        ["PAGE /leads"] = new Needs(Module.Pipeline, Operation.View),
        ["PAGE /leads/import"] = new Needs(Module.Pipeline, Operation.Import),
        ["GET /leads/import/template"] = new Needs(Module.Pipeline, Operation.Import),
        ["GET /leads/import/{id:guid}/errors"] = new Needs(Module.Pipeline, Operation.Import),
        ["PAGE /pipeline/{Id:guid}"] = new Needs(Module.Pipeline, Operation.View),
        ["PAGE /products"] = new Needs(Module.Pipeline, Operation.View),
        ["PAGE /quotes/{Id:guid}"] = new Needs(Module.Pipeline, Operation.View),
        ["POST /quotes/{id:guid}/export"] = new Needs(Module.Pipeline, Operation.View),
        ["PAGE /pipeline/funnel"] = new Needs(Module.Pipeline, Operation.View),
        ["PAGE /tickets"] = new Needs(Module.Tickets, Operation.View),
        ["PAGE /tickets/{Id:guid}"] = new Needs(Module.Tickets, Operation.View),
        ["PAGE /tickets/board"] = new Needs(Module.Tickets, Operation.View),
        ["PAGE /dashboard/tiers"] = new Needs(Module.Tiering, Operation.View),
        ["PAGE /reports"] = new Needs(Module.Reports, Operation.View),
        ["PAGE /admin/audit"] = new Needs(Module.Audit, Operation.View),
        ["PAGE /admin/permissions"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/calendar"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/backups"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/integrations"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/support-groups"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/users"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/teams"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/sla-policies"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/tier-rules"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/reminders"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/custom-fields"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/tags"] = new Needs(Module.Administration, Operation.Configure, Role.Supervisor),
        ["PAGE /admin/dictionaries"] = new Needs(Module.Administration, Operation.Configure),
        ["PAGE /admin/feedback"] = new Needs(Module.Feedback, Operation.View),
        ["PAGE /feedback/mine"] = new SignedIn(),
        ["GET /admin/feedback/{id:guid}/screenshot"] = new Needs(Module.Feedback, Operation.View),
        ["PAGE /admin/status"] = new Needs(Module.Administration, Operation.Configure),
        ["POST /customers/export"] = new Needs(Module.Customers, Operation.Export),
        ["GET /customers/import/template"] = new Needs(Module.Importing, Operation.Import),
        ["GET /customers/import/{id:guid}/errors"] = new Needs(Module.Importing, Operation.Import),
        ["GET /demands/evidence/{id:guid}"] = new Needs(Module.Demands, Operation.View),
        ["GET /tickets/attachments/{id:guid}"] = new Needs(Module.Tickets, Operation.View),
        ["POST /reports/{name}/export"] = new Needs(Module.Reports, Operation.Export),
        ["POST /dashboard/tiers/export"] = new Needs(Module.Tiering, Operation.Export),
        ["POST /pipeline/funnel/export"] = new Needs(Module.Pipeline, Operation.Export),
        ["GET /culture/set"] = new Anyone(),
        ["POST /account/local-signin"] = new Anyone(),
        ["POST /account/signout"] = new SignsOut(),
        ["GET /health/live"] = new Anyone(),
        ["GET /health/ready"] = new Anyone(),
        ["GET /hubs/live/negotiate"] = new SignedIn(),
        ["GET /hubs/live"] = new SignedIn(),
        ["GET /openapi/{documentName}.json"] = new Anyone(),
        ["GET /api/v1/customers"] = new Needs(Module.Customers, Operation.View),
        ["GET /api/v1/customers/{id:guid}"] = new Needs(Module.Customers, Operation.View),
        ["GET /api/v1/customers/by-number/{number}"] = new Needs(Module.Customers, Operation.View),
        ["POST /api/v1/customers"] = new Needs(Module.Customers, Operation.Create),
        ["PUT /api/v1/customers/{id:guid}"] = new Needs(Module.Customers, Operation.Edit),
        ["PUT /api/v1/customers/{id:guid}/status"] = new Needs(Module.Customers, Operation.Edit),
        ["GET /api/v1/customers/{customerId:guid}/contacts"] = new Needs(Module.Customers, Operation.View),
        ["POST /api/v1/customers/{customerId:guid}/contacts"] = new Needs(Module.Customers, Operation.Edit),
        ["PUT /api/v1/customers/{customerId:guid}/contacts/{contactId:guid}/left"] = new Needs(Module.Customers, Operation.Edit),
        ["GET /api/v1/customers/{customerId:guid}/interactions"] = new Needs(Module.Customers, Operation.View),
        ["POST /api/v1/customers/{customerId:guid}/interactions"] = new Needs(Module.Interactions, Operation.Create),
        ["GET /api/v1/dictionaries"] = new SignedIn(),
        ["GET /api/v1/dictionaries/{kind}"] = new SignedIn(),
        ["GET /api/v1/demands"] = new Needs(Module.Demands, Operation.View),
        ["GET /api/v1/demands/{id:guid}"] = new Needs(Module.Demands, Operation.View),
        ["POST /api/v1/demands"] = new Needs(Module.Demands, Operation.Create),
        ["PUT /api/v1/demands/{id:guid}/status"] = new Needs(Module.Demands, Operation.Edit),
        ["PUT /api/v1/demands/{id:guid}/owner"] = new Needs(Module.Demands, Operation.Edit),
        ["GET /api/v1/demands/{demandId:guid}/tasks/{taskId:guid}"] = new Needs(Module.Demands, Operation.View),
        ["POST /api/v1/demands/{id:guid}/tasks"] = new Needs(Module.Demands, Operation.Edit),
        ["PUT /api/v1/demands/{demandId:guid}/tasks/{taskId:guid}/status"] = new Needs(Module.Demands, Operation.Edit),
        ["GET /api/v1/tickets"] = new Needs(Module.Tickets, Operation.View),
        ["GET /api/v1/tickets/{id:guid}"] = new Needs(Module.Tickets, Operation.View),
        ["POST /api/v1/tickets"] = new Needs(Module.Tickets, Operation.Create),
        ["PUT /api/v1/tickets/{id:guid}/assignee"] = new Needs(Module.Tickets, Operation.Edit),
        ["POST /api/v1/tickets/{id:guid}/resolve"] = new Needs(Module.Tickets, Operation.Edit),
        ["POST /api/v1/tickets/{id:guid}/comments"] = new Needs(Module.Tickets, Operation.Edit),
        ["GET /api/v1/leads"] = new Needs(Module.Pipeline, Operation.View),
        ["GET /api/v1/leads/{id:guid}"] = new Needs(Module.Pipeline, Operation.View),
        ["GET /api/v1/leads/{id:guid}/matches"] = new Needs(Module.Pipeline, Operation.View),
        ["POST /api/v1/leads"] = new Needs(Module.Pipeline, Operation.Create),
        ["PUT /api/v1/leads/{id:guid}/owner"] = new Needs(Module.Pipeline, Operation.Edit),
        ["PUT /api/v1/leads/{id:guid}/status"] = new Needs(Module.Pipeline, Operation.Edit),
        ["POST /api/v1/leads/{id:guid}/convert"] = new Needs(Module.Pipeline, Operation.Create),
        ["GET /api/v1/webhooks/event-types"] = new Needs(Module.Administration, Operation.Configure),
        ["GET /api/v1/webhooks"] = new Needs(Module.Administration, Operation.Configure),
        ["POST /api/v1/webhooks"] = new Needs(Module.Administration, Operation.Configure),
        ["PUT /api/v1/webhooks/{id:guid}"] = new Needs(Module.Administration, Operation.Configure),
        ["PUT /api/v1/webhooks/{id:guid}/enabled"] = new Needs(Module.Administration, Operation.Configure),
        ["DELETE /api/v1/webhooks/{id:guid}"] = new Needs(Module.Administration, Operation.Configure),
        ["GET /api/v1/webhooks/{id:guid}/deliveries"] = new Needs(Module.Administration, Operation.Configure),
        ["POST /api/v1/webhooks/deliveries/{id:guid}/retry"] = new Needs(Module.Administration, Operation.Configure),
    };

    private static readonly (string? DemoUser, Role? Role)[] Callers =
    [
        (null, null), ("demo-admin", Role.Admin), ("demo-supervisor", Role.Supervisor), ("demo-salesrep", Role.SalesRep),
        ("demo-service", Role.CustomerService), ("demo-analyst", Role.Analyst),
    ];

    [Fact]
    public async Task Every_route_answers_every_role_and_anonymous_as_its_rule_says()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var routes = Routes(app);

        Assert.Empty(routes.Keys.Except(Expected.Keys)); // a new route needs its row
        Assert.Empty(Expected.Keys.Except(routes.Keys)); // a row whose route is gone
        var ids = await SampleIdsAsync();

        var failures = new List<string>();
        foreach (var (demoUser, role) in Callers)
        {
            using var client = demoUser is null
                ? app.CreateClient(new() { AllowAutoRedirect = false })
                : await app.SignedInClientAsync(demoUser);
            // Signing out last: it ends this client's session.
            foreach (var (key, method) in routes.OrderBy(r => r.Key == "POST /account/signout"))
            {
                var expected = Expect(Expected[key], role);
                var url = Url(key, ids);
                // A POST carries the antiforgery token of a page this client was served, as the app's own forms do:
                // this test is about who may, the token has its own tests (SignInTests, CustomerExportTests, ExportTests).
                // The API takes JSON: a form body would be refused by routing (415) before anyone is asked who may.
                using var response = key.StartsWith("POST /api/", StringComparison.Ordinal) ? await client.PostAsync(url, System.Net.Http.Json.JsonContent.Create(new { }))
                    : method == HttpMethod.Post ? await client.PostFormAsync(url) : await client.SendAsync(new HttpRequestMessage(method, url));
                var actual = Classify(response);
                if ((int)response.StatusCode >= 500 || (key.StartsWith("PAGE ", StringComparison.Ordinal) && actual == Outcome.Allowed && response.StatusCode != HttpStatusCode.OK))
                {
                    failures.Add($"{key} as {role?.ToString() ?? "anonymous"}: {(int)response.StatusCode}");
                }
                else if (actual != expected)
                {
                    failures.Add($"{key} as {role?.ToString() ?? "anonymous"}: expected {expected}, got {actual} ({(int)response.StatusCode} {response.Headers.Location})");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Another_reps_customer_and_demand_and_another_teams_customer_are_refused_by_direct_url_without_naming_the_customer()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        _ = app.Server; // migrates and seeds
        Guid customerId, demandId, otherTeamsCustomerId;
        string customerName, otherTeamsName;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            var rep = await db.Users.SingleAsync(u => u.ExternalId == "demo-salesrep");
            var demand = await (from d in db.Demands join c in db.Customers on d.CustomerId equals c.Id
                                where c.OwnerId == rep.Id orderby d.Number select new { d.Id, d.CustomerId, c.Name }).FirstAsync();
            (customerId, customerName, demandId) = (demand.CustomerId, demand.Name, demand.Id);
            // A second team with its own rep and customer: the demo supervisor leads the first team only.
            var team = new Team { Name = "华南二组" };
            var otherRep = new AppUser { ExternalId = "test-other-team-rep", DisplayName = "周强", Roles = nameof(Role.SalesRep) };
            otherRep.Memberships.Add(new TeamMembership { Team = team, UserId = otherRep.Id });
            db.AddRange(team, otherRep);
            await db.SaveChangesAsync();
            var moved = await db.Customers.Where(c => c.OwnerId == rep.Id && c.Id != customerId).OrderByDescending(c => c.Number).FirstAsync();
            moved.OwnerId = otherRep.Id;
            await db.SaveChangesAsync();
            (otherTeamsCustomerId, otherTeamsName) = (moved.Id, moved.Name);
        }

        using var colleague = await app.SignedInClientAsync("demo-salesrep2");
        await AssertRefusedAsync(colleague, $"/customers/{customerId}", customerName);
        await AssertRefusedAsync(colleague, $"/demands/{demandId}", customerName);
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        await AssertRefusedAsync(supervisor, $"/customers/{otherTeamsCustomerId}", otherTeamsName);
        using var owner = await app.SignedInClientAsync("demo-salesrep");
        var own = await owner.GetAsync($"/customers/{customerId}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains(customerName, WebUtility.HtmlDecode(await own.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_reps_ticket_is_refused_by_direct_url_without_naming_the_customer_and_an_unknown_ticket_is_not_found()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        _ = app.Server; // migrates and seeds, the demo service desk included
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var ticket = await (from t in db.Tickets join c in db.Customers on t.CustomerId equals c.Id
                            where c.Owner!.ExternalId == "demo-salesrep" orderby t.Number select new { t.Id, t.Number, c.Name }).FirstAsync();

        using var colleague = await app.SignedInClientAsync("demo-salesrep2");
        await AssertRefusedAsync(colleague, $"/tickets/{ticket.Id}", ticket.Name);
        using var unknown = await colleague.GetAsync($"/tickets/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var owner = await app.SignedInClientAsync("demo-salesrep");
        using var own = await owner.GetAsync($"/tickets/{ticket.Id}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains(ticket.Number, await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(HttpClient client, string url, string customerName)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
        // Blazor writes Chinese text as character references: compare the decoded page.
        Assert.DoesNotContain(customerName, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    /// <summary>The app's routes, from its endpoint table: pages by their template, the rest by method and template.</summary>
    private static Dictionary<string, HttpMethod> Routes(CrmAppFactory app)
    {
        var routes = new Dictionary<string, HttpMethod>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var template = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var lastSegment = template.Split('/')[^1];
            if (template.StartsWith("/_", StringComparison.Ordinal) || template.Contains(":file}", StringComparison.Ordinal)
                || (lastSegment.Contains('.', StringComparison.Ordinal) && !lastSegment.Contains('{', StringComparison.Ordinal)))
            {
                continue; // Blazor's own framework endpoints and static files: anonymous by design
            }
            if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            {
                routes[$"PAGE {template}"] = HttpMethod.Get;
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var method = methods.Contains("GET") ? "GET" : methods.Contains("POST") ? "POST" : methods[0];
            routes[$"{method} {template}"] = new HttpMethod(method);
        }
        return routes;
    }

    private static Outcome Expect(Rule rule, Role? role) => (rule, role) switch
    {
        (Anyone, _) => Outcome.Allowed,
        (ShowsDenied, _) => Outcome.Denied,
        (SignsOut, _) => Outcome.SignIn,
        (_, null) => Outcome.SignIn,
        (SignedIn, _) => Outcome.Allowed,
        (Needs needs, { } r) => PermissionMatrix.Defaults.IsAllowed(r, needs.Module, needs.Operation) || r == needs.AlsoRole ? Outcome.Allowed : Outcome.Denied,
        _ => throw new InvalidOperationException($"No outcome for {rule}"),
    };

    private static Outcome Classify(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => Outcome.SignIn,
            HttpStatusCode.Forbidden => Outcome.Denied,
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.Contains("/account/signin", StringComparison.Ordinal) => Outcome.SignIn,
            HttpStatusCode.Redirect or HttpStatusCode.Found when location.Contains("/account/denied", StringComparison.Ordinal) => Outcome.Denied,
            _ => Outcome.Allowed,
        };
    }

    private sealed record SampleIds(Guid Customer, Guid Demand, Guid Ticket, Guid Opportunity, Guid Quote);

    /// <summary>A customer (and its demand and ticket) of demo-salesrep: in the scope of every role that may view customers.</summary>
    private async Task<SampleIds> SampleIdsAsync()
    {
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var demand = await (from d in db.Demands join c in db.Customers on d.CustomerId equals c.Id
                            where c.Owner!.ExternalId == "demo-salesrep" orderby d.Number select d).FirstAsync();
        var ticket = await (from t in db.Tickets join c in db.Customers on t.CustomerId equals c.Id
                            where c.Owner!.ExternalId == "demo-salesrep" orderby t.Number select t.Id).FirstAsync();
        var quote = await Pipeline.QuoteSamples.SeedAsync(db, "demo-salesrep");
        return new SampleIds(demand.CustomerId, demand.Id, ticket, await SampleOpportunityAsync(db, demand.CustomerId), quote);
    }

    /// <summary>The demo data has no opportunities: one on the sample customer, in a numbering series of its own (OP2099…).</summary>
    private static async Task<Guid> SampleOpportunityAsync(CrmDbContext db, Guid customerId)
    {
        var ownerId = await db.Customers.Where(c => c.Id == customerId).Select(c => c.OwnerId!.Value).SingleAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        var opportunity = new Opportunity
        {
            Number = $"OP2099{await NumberSequences.NextAsync(db, "opportunity:2099", CancellationToken.None):0000}",
            CustomerId = customerId, Name = "权限矩阵巡检商机", AmountFen = 1_000_000, ExpectedCloseOn = DateOnly.FromDateTime(now.AddDays(30)),
            OwnerId = ownerId, Stage = OpportunityStage.Proposal, StageEnteredAt = now,
        };
        db.Opportunities.Add(opportunity);
        db.OpportunityStageChanges.Add(new OpportunityStageChange { OpportunityId = opportunity.Id, ToStage = opportunity.Stage, At = now });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return opportunity.Id;
    }

    private static string Url(string key, SampleIds ids)
    {
        var template = key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        return template
            .Replace("/customers/{Id:guid}", $"/customers/{ids.Customer}", StringComparison.Ordinal)
            .Replace("/demands/{Id:guid}", $"/demands/{ids.Demand}", StringComparison.Ordinal)
            .Replace("/tickets/{Id:guid}", $"/tickets/{ids.Ticket}", StringComparison.Ordinal)
            .Replace("/pipeline/{Id:guid}", $"/pipeline/{ids.Opportunity}", StringComparison.Ordinal)
            .Replace("/quotes/{Id:guid}", $"/quotes/{ids.Quote}", StringComparison.Ordinal)
            .Replace("{customerId:guid}", ids.Customer.ToString(), StringComparison.Ordinal)
            .Replace("{contactId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{kind}", "industry", StringComparison.Ordinal)
            .Replace("{id:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{demandId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{taskId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{name}", "sla", StringComparison.Ordinal)
            .Replace("{number}", "CRM0000", StringComparison.Ordinal)
            .Replace("{documentName}", "v1", StringComparison.Ordinal)
            .Replace("/culture/set", "/culture/set?culture=en&redirectUri=/", StringComparison.Ordinal);
    }
}
