using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>
/// A deal's record scope is its customer's (SPEC A3), read through the deal's copy of the customer's owner
/// (<see cref="Opportunity.CustomerOwnerId"/>, issue 15's board performance). The copy must follow every way a customer
/// changes hands, and the scope it gives must be exactly the customers' scope for every role.
/// </summary>
public sealed class OpportunityScopeTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_deal_follows_its_customers_owner_through_an_edit_a_hand_over_and_a_merge_and_every_role_sees_the_deals_of_the_customers_it_sees(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 10);
        var admin = await harness.DemoUserAsync("demo-admin");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var colleague = await harness.DemoUserAsync("demo-salesrep2");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var south = await SecondTeam.AddAsync(harness);
        List<Customer> customers;
        await using (var db = harness.NewSystemContext())
        {
            customers = await db.Customers.AsNoTracking().OrderBy(c => c.Number).ToListAsync();
        }
        // A deal on every customer, all owned by the Admin who creates them: scope goes by the customer's owner, not the deal's.
        var deals = new Dictionary<Guid, Opportunity>();
        foreach (var customer in customers)
        {
            deals[customer.Id] = await harness.Get<OpportunityService>(admin).CreateAsync(
                new OpportunityInput(customer.Id, $"{customer.Name} 项目", 1_000_000, new DateOnly(2030, 6, 30), null));
        }
        var repsCustomers = customers.Where(c => c.OwnerId == rep.UserId).ToList();
        var colleaguesCustomers = customers.Where(c => c.OwnerId == colleague.UserId).ToList();
        Assert.True(repsCustomers.Count >= 2 && colleaguesCustomers.Count >= 2);
        await AssertScopesAsync();

        // An edit: the supervisor gives one of the rep's customers to the colleague. The deal moves boards, and is neither a new
        // version of the deal (a card dragged meanwhile still moves) nor an audited change of it.
        var given = repsCustomers[0];
        var before = deals[given.Id];
        await using (var db = harness.NewSystemContext())
        {
            var current = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == given.Id);
            await harness.Get<CustomerService>(supervisor).UpdateAsync(current.Id, current.Version, CustomerInputs.From(current) with { OwnerId = colleague.UserId });
        }
        Assert.DoesNotContain(await BoardAsync(rep), id => id == before.Id);
        Assert.Contains(await BoardAsync(colleague), id => id == before.Id);
        await using (var db = harness.NewSystemContext())
        {
            var after = await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == before.Id);
            Assert.Equal((colleague.UserId, before.Version), (after.CustomerOwnerId, after.Version));
            Assert.False(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Opportunity) && a.Action == AuditAction.Update && a.EntityId == before.Id.ToString()));
        }
        await AssertScopesAsync();

        // A merge by the supervisor: a colleague's customer into one of the rep's; its deal, moved in bulk, is the rep's now.
        var (survivor, merged) = (repsCustomers[1], colleaguesCustomers[0]);
        var merge = harness.Get<CustomerMerge>(supervisor);
        var request = await merge.RequestAsync(new MergePlan(survivor.Id, merged.Id, []));
        await harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version, approve: true, null);
        await merge.ExecuteAsync(request.Id);
        Assert.Contains(await BoardAsync(rep), id => id == deals[merged.Id].Id);
        Assert.DoesNotContain(await BoardAsync(colleague), id => id == deals[merged.Id].Id);
        await AssertScopesAsync();

        // A hand-over of everything the colleague owns to the other team's rep: their deals leave this team's boards for that team's.
        Assert.True(await harness.Get<UserAdmin>(admin).ReassignCustomersAsync(colleague.UserId!.Value, south.Rep.UserId!.Value) >= 2);
        Assert.Empty(await BoardAsync(colleague));
        Assert.Contains(await BoardAsync(south.Supervisor), id => id == before.Id);
        Assert.DoesNotContain(await BoardAsync(supervisor), id => id == before.Id);
        await AssertScopesAsync();

        async Task<List<Guid>> BoardAsync(TestUser user) =>
            [.. (await harness.Get<OpportunityQueries>(user).BoardAsync(new PipelineFilter())).Cards.Select(c => c.Id)];

        // Every deal carries its customer's owner, and for each role the deals in scope are exactly those of its customers.
        async Task AssertScopesAsync()
        {
            await using var db = harness.NewSystemContext();
            Assert.Empty(await db.Opportunities.Join(db.Customers, o => o.CustomerId, c => c.Id, (o, c) => new { o.Number, o.CustomerOwnerId, c.OwnerId })
                .Where(x => x.CustomerOwnerId != x.OwnerId).ToListAsync());
            foreach (var user in new[] { admin, supervisor, rep, colleague, analyst, south.Supervisor, south.Rep })
            {
                var scoped = TestUser.From(await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Id == user.UserId));
                var theirCustomers = db.Customers.VisibleTo(scoped).Select(c => c.Id);
                var expected = await db.Opportunities.Where(o => theirCustomers.Contains(o.CustomerId)).Select(o => o.Id).OrderBy(id => id).ToListAsync();
                var actual = await db.Opportunities.VisibleTo(db, scoped).Select(o => o.Id).OrderBy(id => id).ToListAsync();
                Assert.Equal(expected, actual);
                Assert.Equal(expected.Order(), (await BoardAsync(user)).Order());
            }
        }
    }
}
