using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.Access;

/// <summary>The people pages offer to pick (owners, assignees, members, filters) come as records, not user entities.</summary>
public sealed class UserOptionsTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Active_people_come_in_the_sign_in_lists_order_without_service_accounts_or_those_who_left(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 1);
        var admin = await harness.DemoUserAsync("demo-admin");
        AppUser left, preRegistered, apiKey, application, newRep;
        await using (var db = harness.NewSystemContext())
        {
            left = new AppUser { ExternalId = "left-oid", DisplayName = "离职的人", Roles = "SalesRep", IsActive = false };
            preRegistered = new AppUser { DisplayName = "还没登录的人", Email = "new@example.cn", Roles = "SalesRep" };
            apiKey = new AppUser { ExternalId = ApiKeyService.ExternalIdPrefix + "1", DisplayName = "API: ERP", Roles = "Analyst" };
            application = new AppUser { ExternalId = EntraApplications.ExternalIdPrefix + "2", DisplayName = "API: BI", Roles = "Analyst" };
            newRep = new AppUser { ExternalId = "new-rep-oid", DisplayName = "新销售", Roles = "SalesRep" };
            db.Users.AddRange(left, preRegistered, apiKey, application, newRep);
            await db.SaveChangesAsync();
        }
        var users = harness.Get<UserDirectory>(admin);

        var options = await users.OptionsAsync();

        Assert.Equal((await users.ListActiveAsync()).Select(u => new UserOption(u.Id, u.DisplayName)), options);
        Assert.Contains(new UserOption(newRep.Id, "新销售"), options);
        Assert.Contains(options, o => o.Id == admin.UserId);
        foreach (var gone in new[] { left, preRegistered, apiKey, application })
        {
            Assert.DoesNotContain(options, o => o.Id == gone.Id);
        }
        // By each one's first role (Admin before Supervisor before SalesRep…), then by name.
        Assert.Equal(admin.UserId, options[0].Id);
        Dictionary<Guid, string> roles;
        await using (var db = harness.NewSystemContext())
        {
            roles = db.Users.ToDictionary(u => u.Id, u => u.Roles);
        }
        var keys = options.Select(o => (Role: AppUser.ParseRoles(roles[o.Id]).DefaultIfEmpty(Role.Analyst).Min(), o.DisplayName)).ToList();
        for (var i = 1; i < keys.Count; i++)
        {
            Assert.True(keys[i - 1].Role < keys[i].Role
                || (keys[i - 1].Role == keys[i].Role && string.CompareOrdinal(keys[i - 1].DisplayName, keys[i].DisplayName) <= 0),
                $"{keys[i - 1]} before {keys[i]}");
        }
        Assert.True(keys.Select(k => k.Role).Distinct().Count() > 1);

        // A page that has only an id (the new ticket's assignee) gets the name, and nothing for an id no one has.
        Assert.Equal("新销售", await users.NameAsync(newRep.Id));
        Assert.Equal("离职的人", await users.NameAsync(left.Id));
        Assert.Null(await users.NameAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Asked_for_roles_only_people_holding_one_of_them_come()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        var admin = await harness.DemoUserAsync("demo-admin");
        var users = harness.Get<UserDirectory>(admin);
        var everyone = await users.ListActiveAsync();

        var owners = await users.OptionsAsync([Role.SalesRep, Role.Supervisor]);

        var expected = everyone.Where(u => u.RoleSet.Contains(Role.SalesRep) || u.RoleSet.Contains(Role.Supervisor)).Select(u => u.Id).ToList();
        Assert.NotEmpty(expected);
        Assert.True(expected.Count < everyone.Count);
        Assert.Equal(expected, owners.Select(o => o.Id));
    }
}
