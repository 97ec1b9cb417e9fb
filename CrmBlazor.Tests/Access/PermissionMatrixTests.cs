using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.Access;

public sealed class PermissionMatrixTests
{
    [Fact]
    public void The_defaults_follow_the_roles_of_the_spec()
    {
        var m = PermissionMatrix.Defaults;

        Assert.All(Enum.GetValues<Module>(), module => Assert.True(m.IsAllowed(Role.Admin, module, Operation.Configure)));
        Assert.True(m.IsAllowed(Role.SalesRep, Module.Customers, Operation.Edit));
        Assert.False(m.IsAllowed(Role.SalesRep, Module.Customers, Operation.Delete));
        Assert.True(m.IsAllowed(Role.CustomerService, Module.Tickets, Operation.Create));
        Assert.False(m.IsAllowed(Role.CustomerService, Module.Customers, Operation.Edit));
        Assert.All(Enum.GetValues<Module>(), module =>
        {
            Assert.False(m.IsAllowed(Role.Analyst, module, Operation.Edit));
            Assert.False(m.IsAllowed(Role.Analyst, module, Operation.Create));
        });
        Assert.False(m.IsAllowed(Role.Supervisor, Module.Administration, Operation.Configure));
    }

    [Fact]
    public async Task An_override_stored_by_Admin_grants_or_revokes_one_cell_but_never_locks_out_Admin()
    {
        await using var database = await TestDatabase.CreateSeededAsync(DatabaseProvider.Sqlite, customers: 1);
        await using (var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System))
        {
            db.PermissionOverrides.AddRange(
                new PermissionOverride { Role = Role.Analyst, Module = Module.Customers, Operation = Operation.View, Allowed = false },
                new PermissionOverride { Role = Role.SalesRep, Module = Module.Reports, Operation = Operation.View, Allowed = true },
                new PermissionOverride { Role = Role.Admin, Module = Module.Audit, Operation = Operation.View, Allowed = false });
            await db.SaveChangesAsync();
        }
        var permissions = new Permissions(database.Settings, TimeProvider.System);
        var analyst = new TestUser(Guid.NewGuid(), "赵磊", [], new HashSet<Role> { Role.Analyst });
        Assert.True(permissions.IsAllowed(analyst, Module.Customers, Operation.View));

        await permissions.ReloadAsync();

        Assert.False(permissions.IsAllowed(analyst, Module.Customers, Operation.View));
        Assert.True(permissions.Matrix.IsAllowed(Role.SalesRep, Module.Reports, Operation.View));
        Assert.True(permissions.Matrix.IsAllowed(Role.Admin, Module.Audit, Operation.View));
        var denied = Assert.Throws<CrmBlazor.Domain.Common.AccessDeniedException>(() => permissions.Demand(analyst, Module.Customers, Operation.View));
        Assert.Equal("Error.OperationDenied", denied.MessageKey);
    }

    [Fact]
    public void An_anonymous_caller_may_do_nothing()
    {
        var permissions = new Permissions(new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=unused.db"), TimeProvider.System);
        var anonymous = new TestUser(null, "anonymous", [], new HashSet<Role> { Role.Admin });

        Assert.False(permissions.IsAllowed(anonymous, Module.Customers, Operation.View));
    }

    /// <summary>
    /// The permission page offers a cell only if the code checks it, and every cell the code checks is offered: a
    /// module or right that does nothing is not shown, and a new check cannot be forgotten on the page.
    /// </summary>
    [Fact]
    public void The_page_offers_exactly_the_cells_the_code_checks()
    {
        var checkedInCode = new HashSet<(Module, Operation)>();
        foreach (var project in new[] { "CrmBlazor.Server", "CrmBlazor.Domain" })
        {
            var root = Path.Combine(TestServices.RepositoryRoot, project);
            var sources = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && Path.GetFileName(f) != "PermissionMatrix.cs");
            foreach (var file in sources)
            {
                var text = File.ReadAllText(file);
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"Module\.(\w+), Operation\.(\w+)"))
                {
                    checkedInCode.Add((Enum.Parse<Module>(m.Groups[1].Value), Enum.Parse<Operation>(m.Groups[2].Value)));
                }
            }
        }

        Assert.Empty(checkedInCode.Except(PermissionMatrix.Enforced).Select(c => $"checked in code but not offered: {c}"));
        Assert.Empty(PermissionMatrix.Enforced.Except(checkedInCode).Select(c => $"offered but checked nowhere: {c}"));
    }
}
