using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// Issue #12 §2 (SPEC A2, A3): every owner change — the form's create and edit (a transfer), a merge that takes
/// the other owner, the import's 负责人 column — accepts only an active user the caller may assign.
/// </summary>
public sealed class OwnerAssignmentTests
{
    [Fact]
    public async Task Creating_a_customer_accepts_only_an_owner_the_caller_may_assign()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var (admin, supervisor, rep, colleague, analyst) = await DemoAsync(harness);
        var south = await SecondTeam.AddAsync(harness);
        var inactive = await InactiveMemberAsync(harness, supervisor);

        await RefusedAsync(() => Create(harness, rep, "甲公司", colleague));              // a rep: only themselves
        await RefusedAsync(() => Create(harness, supervisor, "乙公司", south.Rep));       // a supervisor: only their team
        await RefusedAsync(() => Create(harness, supervisor, "丙公司", inactive));        // never an inactive user
        await RefusedAsync(() => Create(harness, admin, "丁公司", inactive));
        await RefusedAsync(() => Create(harness, admin, "戊公司", analyst));              // nor one who owns no customers

        Assert.Equal(rep.UserId, (await Create(harness, rep, "己公司", rep)).OwnerId);
        Assert.Equal(colleague.UserId, (await Create(harness, supervisor, "庚公司", colleague)).OwnerId);
        Assert.Equal(south.Rep.UserId, (await Create(harness, admin, "辛公司", south.Rep)).OwnerId);
    }

    [Fact]
    public async Task Handing_a_customer_over_accepts_only_an_owner_the_caller_may_assign()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var (admin, supervisor, rep, colleague, _) = await DemoAsync(harness);
        var south = await SecondTeam.AddAsync(harness);
        var inactive = await InactiveMemberAsync(harness, supervisor);
        Customer customer;
        await using (var db = harness.NewSystemContext())
        {
            customer = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId == rep.UserId);
        }

        await RefusedAsync(() => HandOver(harness, rep, customer, colleague));
        await RefusedAsync(() => HandOver(harness, supervisor, customer, south.Rep));
        await RefusedAsync(() => HandOver(harness, supervisor, customer, inactive));
        var kept = await HandOver(harness, rep, customer, rep); // a rep's own form keeps its owner
        Assert.Equal(rep.UserId, kept.OwnerId);

        var moved = await HandOver(harness, supervisor, kept, colleague);
        Assert.Equal(colleague.UserId, moved.OwnerId);
        Assert.Equal(south.Rep.UserId, (await HandOver(harness, admin, moved, south.Rep)).OwnerId);
    }

    [Fact]
    public async Task A_merge_that_takes_the_other_owner_needs_one_the_requester_may_assign()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var (_, supervisor, rep, colleague, _) = await DemoAsync(harness);
        Guid survivor, merged;
        await using (var db = harness.NewSystemContext())
        {
            survivor = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
            merged = await db.Customers.Where(c => c.OwnerId == colleague.UserId).Select(c => c.Id).FirstAsync();
            await db.Users.Where(u => u.Id == colleague.UserId).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false));
        }

        await RefusedAsync(() => harness.Get<CustomerMerge>(supervisor).RequestAsync(new MergePlan(survivor, merged, [MergeField.Owner])));
        Assert.NotNull(await harness.Get<CustomerMerge>(supervisor).RequestAsync(new MergePlan(survivor, merged, [MergeField.Notes])));
    }

    [Fact]
    public async Task The_imports_owner_column_accepts_only_an_owner_the_importer_may_assign()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var (admin, supervisor, _, colleague, analyst) = await DemoAsync(harness);
        var south = await SecondTeam.AddAsync(harness);
        var inactive = await InactiveMemberAsync(harness, supervisor);
        var rows = new[] { colleague, south.Rep, inactive, analyst }.Select((owner, i) =>
        {
            var row = Row($"负责人测试{i}有限公司", $"联系人{i}", $"1390000100{i}", "制造业");
            row[CustomerRows.OwnerHeader] = owner.DisplayName;
            return row;
        }).ToList();

        var bySupervisor = await harness.Get<CustomerImport>(supervisor).PrepareAsync("owners.xlsx", Xlsx(rows), ImportMode.CreateOnly);
        var byAdmin = await harness.Get<CustomerImport>(admin).PrepareAsync("owners.xlsx", Xlsx(rows), ImportMode.CreateOnly);

        string Refused(TestUser owner) => $"负责人“{owner.DisplayName}”不是你可以指派的用户";
        Assert.Equal(new Dictionary<int, string> { [3] = Refused(south.Rep), [4] = Refused(inactive), [5] = Refused(analyst) },
            bySupervisor.FailingRows.ToDictionary(r => r.RowNumber, r => r.Reasons(chinese: true)));
        Assert.Equal(new Dictionary<int, string> { [4] = Refused(inactive), [5] = Refused(analyst) },
            byAdmin.FailingRows.ToDictionary(r => r.RowNumber, r => r.Reasons(chinese: true)));

        var done = await harness.Get<CustomerImport>(admin).RunAsync(byAdmin.Job.Id);
        Assert.Equal(2, done.Imported);
        await using var db = harness.NewSystemContext();
        Assert.Equal(new HashSet<Guid?> { colleague.UserId, south.Rep.UserId },
            (await db.Customers.Where(c => c.Name.StartsWith("负责人测试")).Select(c => c.OwnerId).ToListAsync()).ToHashSet());
    }

    [Fact]
    public void The_rule_itself_active_users_and_for_a_supervisor_the_team_for_a_rep_themselves()
    {
        var member = new AppUser { ExternalId = "m", DisplayName = "成员", Roles = nameof(Role.SalesRep) };
        var outsider = new AppUser { ExternalId = "o", DisplayName = "外人", Roles = nameof(Role.SalesRep) };
        var supervised = new HashSet<Guid> { member.Id };
        var supervisor = new TestUser(Guid.NewGuid(), "主管", [], new HashSet<Role> { Role.Supervisor });
        var rep = new TestUser(Guid.NewGuid(), "同事", [], new HashSet<Role> { Role.SalesRep });
        var admin = new TestUser(Guid.NewGuid(), "管理员", [], new HashSet<Role> { Role.Admin });

        Assert.True(OwnerAssignment.MayAssign(supervisor, member, supervised));
        Assert.False(OwnerAssignment.MayAssign(supervisor, outsider, supervised));
        Assert.False(OwnerAssignment.MayAssign(rep, member, supervised));
        Assert.True(OwnerAssignment.MayAssign(admin, outsider, new HashSet<Guid>()));
        member.IsActive = false;
        Assert.False(OwnerAssignment.MayAssign(supervisor, member, supervised));
        Assert.False(OwnerAssignment.MayAssign(admin, member, new HashSet<Guid>()));
    }

    private static async Task<(TestUser Admin, TestUser Supervisor, TestUser Rep, TestUser Colleague, TestUser Analyst)> DemoAsync(DomainHarness harness) =>
        (await harness.DemoUserAsync("demo-admin"), await harness.DemoUserAsync("demo-supervisor"), await harness.DemoUserAsync("demo-salesrep"),
            await harness.DemoUserAsync("demo-salesrep2"), await harness.DemoUserAsync("demo-analyst"));

    /// <summary>A rep of the supervisor's own team who has left (deactivated).</summary>
    private static async Task<TestUser> InactiveMemberAsync(DomainHarness harness, TestUser supervisor)
    {
        await using var db = harness.NewSystemContext();
        var user = new AppUser { ExternalId = "left-salesrep", DisplayName = "孙离", Roles = nameof(Role.SalesRep), IsActive = false };
        user.Memberships.Add(new TeamMembership { TeamId = supervisor.SupervisedTeamIds.Single(), UserId = user.Id });
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return TestUser.From(user);
    }

    private static Task<Customer> Create(DomainHarness harness, TestUser caller, string name, TestUser owner) =>
        harness.Get<CustomerService>(caller).CreateAsync(CustomerInputs.New($"{name}有限公司") with { OwnerId = owner.UserId }, new ContactInput("联系人", Mobile: "13900001111"));

    private static async Task<Customer> HandOver(DomainHarness harness, TestUser caller, Customer customer, TestUser owner)
    {
        await using var db = harness.NewSystemContext();
        var current = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customer.Id);
        return await harness.Get<CustomerService>(caller).UpdateAsync(current.Id, current.Version, CustomerInputs.From(current) with { OwnerId = owner.UserId });
    }

    private static async Task RefusedAsync(Func<Task> assign)
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(assign);
        Assert.Equal("Validation.OwnerNotAssignable", Assert.Single(error.Errors).MessageKey);
    }
}
