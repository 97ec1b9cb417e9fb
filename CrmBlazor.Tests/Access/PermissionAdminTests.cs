using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Access;

/// <summary>SPEC A2 "editable by Admin" and A5 "permission change recorded".</summary>
public sealed class PermissionAdminTests
{
    [Fact]
    public async Task Admin_revokes_a_right_it_is_enforced_at_once_audited_and_restoring_it_removes_the_override()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        Assert.NotEmpty((await harness.Get<CustomerQueries>(analyst).ListAsync(new CustomerFilter(), 0, 10)).Items);

        await harness.Get<PermissionAdmin>(admin).SetAsync(Role.Analyst, Module.Customers, Operation.View, allowed: false);

        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<CustomerQueries>(analyst).ListAsync(new CustomerFilter(), 0, 10));
        await using (var db = harness.NewSystemContext())
        {
            var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.PermissionChange);
            Assert.Equal("Analyst/Customers/View", entry.EntityId);
            Assert.Equal(admin.DisplayName, entry.UserName);
            Assert.Contains("\"Before\":\"True\",\"After\":\"False\"", entry.Changes, StringComparison.Ordinal);
            Assert.Single(await db.PermissionOverrides.ToListAsync());
        }

        await harness.Get<PermissionAdmin>(admin).SetAsync(Role.Analyst, Module.Customers, Operation.View, allowed: true);

        Assert.NotEmpty((await harness.Get<CustomerQueries>(analyst).ListAsync(new CustomerFilter(), 0, 10)).Items);
        await using var check = harness.NewSystemContext();
        Assert.Empty(await check.PermissionOverrides.ToListAsync());
        Assert.Equal(2, await check.AuditEntries.CountAsync(a => a.Action == AuditAction.PermissionChange));
    }

    [Fact]
    public async Task Only_Admin_edits_the_matrix_and_Admin_keeps_every_right()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");

        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<PermissionAdmin>(supervisor).SetAsync(Role.SalesRep, Module.Customers, Operation.Delete, true));
        await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<PermissionAdmin>(admin).SetAsync(Role.Admin, Module.Audit, Operation.View, false));

        await using var db = harness.NewSystemContext();
        Assert.Empty(await db.PermissionOverrides.ToListAsync());
    }
}
