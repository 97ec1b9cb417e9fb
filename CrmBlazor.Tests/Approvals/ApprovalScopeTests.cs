using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Approvals;

/// <summary>Issue #12 §2 (SPEC A4, A3): approvals are team-scoped, and a request names no customer outside its reader's scope.</summary>
public sealed class ApprovalScopeTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_supervisor_sees_hears_of_and_decides_only_their_own_teams_requests_and_an_admin_all(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 12);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        var south = await SecondTeam.AddAsync(harness);
        var theirs = await TwoCustomersOfAsync(harness, rep.UserId!.Value);
        await south.TakeOverAsync(harness, theirs);
        var mine = await TwoCustomersOfAsync(harness, rep.UserId!.Value);

        var fromRep = await harness.Get<CustomerMerge>(rep).RequestAsync(new MergePlan(mine[0], mine[1], []));
        var fromSouth = await harness.Get<CustomerMerge>(south.Rep).RequestAsync(new MergePlan(theirs[0], theirs[1], []));

        Assert.Equal([fromRep.Id], (await harness.Get<ApprovalService>(supervisor).PendingAsync()).Select(r => r.Id));
        Assert.Equal([fromSouth.Id], (await harness.Get<ApprovalService>(south.Supervisor).PendingAsync()).Select(r => r.Id));
        Assert.Equal(new[] { fromRep.Id, fromSouth.Id }.Order(), (await harness.Get<ApprovalService>(admin).PendingAsync()).Select(r => r.Id).Order());

        // Each request reached its team's supervisor and the Admin, and no other supervisor.
        Assert.Equal([rep.DisplayName], await RequestersNotifiedAsync(harness, supervisor));
        Assert.Equal([south.Rep.DisplayName], await RequestersNotifiedAsync(harness, south.Supervisor));
        Assert.Equal(new[] { rep.DisplayName, south.Rep.DisplayName }.Order(StringComparer.Ordinal), (await RequestersNotifiedAsync(harness, admin)).Order(StringComparer.Ordinal));

        await Assert.ThrowsAsync<NotFoundException>(() => harness.Get<ApprovalService>(supervisor).DecideAsync(fromSouth.Id, fromSouth.Version, true, null));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Get<ApprovalService>(south.Supervisor).DecideAsync(fromRep.Id, fromRep.Version, false, "不是本团队"));
        await harness.Get<ApprovalService>(south.Supervisor).DecideAsync(fromSouth.Id, fromSouth.Version, true, null);
        await harness.Get<ApprovalService>(admin).DecideAsync(fromRep.Id, fromRep.Version, false, "重复判断有误");

        await using var db = harness.NewSystemContext();
        Assert.Equal(ApprovalStatus.Approved, (await db.ApprovalRequests.SingleAsync(a => a.Id == fromSouth.Id)).Status);
        Assert.Equal(ApprovalStatus.Rejected, (await db.ApprovalRequests.SingleAsync(a => a.Id == fromRep.Id)).Status);
    }

    [Fact]
    public async Task A_requester_without_a_team_reaches_only_the_admins()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var service = await harness.DemoUserAsync("demo-service"); // customer service: no team
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");

        var request = await harness.Get<ApprovalService>(service).RequestAsync(ApprovalSummary.Export(9000), "{}");

        Assert.Empty(await harness.Get<NotificationService>(supervisor).MineAsync());
        Assert.Empty(await harness.Get<ApprovalService>(supervisor).PendingAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version, true, null));
        Assert.Equal([service.DisplayName], await RequestersNotifiedAsync(harness, admin));
        Assert.Equal([request.Id], (await harness.Get<ApprovalService>(admin).PendingAsync()).Select(r => r.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_request_names_no_customer_and_shows_each_reader_only_the_customers_in_their_scope(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 9);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        var south = await SecondTeam.AddAsync(harness);
        var pair = await TwoCustomersOfAsync(harness, rep.UserId!.Value);
        Dictionary<Guid, (string Number, string Name)> customers;
        await using (var db = harness.NewSystemContext())
        {
            customers = await db.Customers.Where(c => pair.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => (c.Number, c.Name));
        }

        var request = await harness.Get<CustomerMerge>(rep).RequestAsync(new MergePlan(pair[0], pair[1], []));
        await south.TakeOverAsync(harness, pair[1]); // the merged one moves to the other team before anyone decides

        var told = await harness.Get<NotificationService>(supervisor).MineAsync();
        Assert.DoesNotContain(told.SelectMany(n => n.Values), v => customers.Values.Any(c => v.Contains(c.Number, StringComparison.Ordinal) || v.Contains(c.Name, StringComparison.Ordinal)));
        var asSupervisor = Assert.Single(await harness.Get<ApprovalService>(supervisor).PendingAsync());
        Assert.Equal([pair[0]], asSupervisor.Customers.Select(c => c.Id));
        Assert.Equal(customers[pair[0]].Name, asSupervisor.Customers[0].Name);
        var asAdmin = Assert.Single(await harness.Get<ApprovalService>(admin).PendingAsync());
        Assert.Equal([pair[1], pair[0]], asAdmin.Customers.Select(c => c.Id)); // merged, then survivor
        var asRequester = Assert.Single(await harness.Get<ApprovalService>(rep).MineAsync());
        Assert.Equal([pair[0]], asRequester.Customers.Select(c => c.Id));
    }

    [Fact]
    public async Task A_request_stored_with_customer_names_is_shown_without_them()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 9);
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var pair = await TwoCustomersOfAsync(harness, rep.UserId!.Value);
        await using (var db = harness.NewSystemContext())
        {
            db.ApprovalRequests.Add(new ApprovalRequest
            {
                Kind = ApprovalKinds.CustomerBulkDelete, LegacySummary = "删除 2 个客户：CRM20260001、CRM20260002 / delete 2 customers",
                Payload = System.Text.Json.JsonSerializer.Serialize(pair), RequestedById = rep.UserId!.Value, RequestedByName = rep.DisplayName,
            });
            await db.SaveChangesAsync();
        }

        var shown = Assert.Single(await harness.Get<ApprovalService>(admin).PendingAsync());

        // Rebuilt from the kind and the payload's count: the sentence stored with the numbers is not shown.
        Assert.Equal(ApprovalKinds.CustomerBulkDelete, shown.Summary.Kind);
        Assert.Equal(["2"], shown.Summary.Facts);
        Assert.Null(shown.Summary.StoredText);
    }

    private static async Task<Guid[]> TwoCustomersOfAsync(DomainHarness harness, Guid ownerId)
    {
        await using var db = harness.NewSystemContext();
        var two = await db.Customers.Where(c => c.OwnerId == ownerId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToArrayAsync();
        Assert.Equal(2, two.Length);
        return two;
    }

    private static async Task<List<string>> RequestersNotifiedAsync(DomainHarness harness, TestUser user) =>
        (await harness.Get<NotificationService>(user).MineAsync()).Where(n => n.Kind == NotificationKinds.ApprovalRequested).Select(n => n.Values[0]).ToList();
}
