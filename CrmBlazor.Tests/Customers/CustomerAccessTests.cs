using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Customers;

/// <summary>SPEC A2 and A3 as the Domain enforces them, on SQLite and PostgreSQL.</summary>
public sealed class CustomerAccessTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_sales_rep_lists_only_own_customers_and_is_refused_another_reps_by_id(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 30);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var queries = harness.Get<CustomerQueries>(rep);

        var list = await queries.ListAsync(new CustomerFilter(), 0, 100);

        await using var db = harness.NewSystemContext();
        var owned = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).ToListAsync();
        Assert.NotEmpty(owned);
        Assert.Equal(owned.Order(), list.Items.Select(i => i.Id).Order());
        Assert.Equal(owned.Count, list.TotalCount);

        var someoneElses = await db.Customers.FirstAsync(c => c.OwnerId != rep.UserId);
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => queries.GetProfileAsync(someoneElses.Id));
        Assert.Equal("Error.CustomerOutOfScope", refused.MessageKey);
        Assert.Equal(owned[0], (await queries.GetProfileAsync(owned[0])).Customer.Id);
        Assert.Equal(owned.Count, await queries.CountAsync(new CustomerFilter()));
        var byName = await queries.ListAsync(new CustomerFilter { Search = someoneElses.Name }, 0, 10);
        Assert.DoesNotContain(byName.Items, i => i.Id == someoneElses.Id);
    }

    [Fact]
    public async Task A_supervisor_sees_the_whole_team_and_an_analyst_sees_everything()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 30);
        await using var db = harness.NewSystemContext();
        var teamCustomers = await db.Customers.CountAsync(c => c.Owner!.Memberships.Any());
        var all = await db.Customers.CountAsync();
        // One customer outside the team, so that "the team's" differs from "all".
        var outsider = await db.Users.SingleAsync(u => u.ExternalId == "demo-service");
        var first = await db.Customers.FirstAsync();
        first.OwnerId = outsider.Id;
        await db.SaveChangesAsync();

        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var analyst = await harness.DemoUserAsync("demo-analyst");

        Assert.Equal(teamCustomers - 1, await harness.Get<CustomerQueries>(supervisor).CountAsync(new CustomerFilter()));
        Assert.Equal(all, await harness.Get<CustomerQueries>(analyst).CountAsync(new CustomerFilter()));
    }

    public static TheoryData<string, string, string> AllowedAndRefused => new()
    {
        // role, an operation it may do, one it may not
        { "demo-admin", "edit", "-" },
        { "demo-supervisor", "delete", "audit" },
        { "demo-salesrep", "create", "delete" },
        { "demo-service", "view", "edit" },
        { "demo-analyst", "view", "create" },
    };

    [Theory]
    [MemberData(nameof(AllowedAndRefused))]
    public async Task Every_role_is_allowed_its_operations_and_refused_the_others_with_nothing_changed(string demoUser, string allowed, string refused)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 12);
        var user = await harness.DemoUserAsync(demoUser);

        await RunAsync(harness, user, allowed);

        if (refused == "-")
        {
            // Admin has no refused operation: the strongest one, reading the audit log, works.
            await RunAsync(harness, user, "audit");
            return;
        }
        await using var before = harness.NewSystemContext();
        var snapshot = await before.Customers.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.Name, c.Version }).ToListAsync();
        var auditRows = await before.AuditEntries.CountAsync();

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => RunAsync(harness, user, refused));
        Assert.False(string.IsNullOrWhiteSpace(denied.Message));

        await using var after = harness.NewSystemContext();
        Assert.Equal(snapshot, await after.Customers.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.Name, c.Version }).ToListAsync());
        Assert.Equal(auditRows, await after.AuditEntries.CountAsync());
    }

    private static async Task RunAsync(DomainHarness harness, TestUser user, string operation)
    {
        var customers = harness.Get<CustomerService>(user);
        await using var db = harness.NewSystemContext();
        var target = await db.Customers.AsNoTracking().Where(c => c.OwnerId == user.UserId).FirstOrDefaultAsync()
            ?? await db.Customers.AsNoTracking().FirstAsync();
        switch (operation)
        {
            case "view":
                Assert.NotEmpty((await harness.Get<CustomerQueries>(user).ListAsync(new CustomerFilter(), 0, 10)).Items);
                break;
            case "create":
                var created = await customers.CreateAsync(CustomerInputs.New("杭州测试科技有限公司"), new ContactInput("周杰", "总经理", "13800138000", Email: "zhou@example.cn"));
                Assert.StartsWith("CRM", created.Number, StringComparison.Ordinal);
                break;
            case "edit":
                var edited = await customers.UpdateAsync(target.Id, target.Version, CustomerInputs.From(target) with { Name = target.Name + "（已更名）" });
                Assert.Equal(target.Version + 1, edited.Version);
                break;
            case "delete":
                await customers.DeleteAsync(target.Id, target.Version);
                await using (var check = harness.NewSystemContext())
                {
                    Assert.False(await check.Customers.AnyAsync(c => c.Id == target.Id));
                }
                break;
            case "audit":
                await harness.Get<CrmBlazor.Domain.Auditing.AuditLog>(user).SearchAsync(new CrmBlazor.Domain.Auditing.AuditSearch());
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
        }
    }
}
