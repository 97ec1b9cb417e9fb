using System.Text.Json;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Auditing;

public sealed class AuditTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_update_writes_a_before_and_after_row_naming_the_user(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 5);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Customer original;
        await using (var db = harness.NewSystemContext())
        {
            original = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId == rep.UserId);
        }

        await harness.Get<CustomerService>(rep).UpdateAsync(original.Id, original.Version, CustomerInputs.From(original) with { Name = "苏州新名称精密制造有限公司", Notes = "已核实" });

        await using var check = harness.NewSystemContext();
        var entry = await check.AuditEntries.AsNoTracking()
            .SingleAsync(a => a.Action == AuditAction.Update && a.EntityId == original.Id.ToString());
        Assert.Equal(nameof(Customer), entry.EntityType);
        Assert.Equal(rep.UserId, entry.UserId);
        Assert.Equal(rep.DisplayName, entry.UserName);
        var changes = JsonSerializer.Deserialize<List<FieldChange>>(entry.Changes!)!;
        Assert.Contains(new FieldChange(nameof(Customer.Name), original.Name, "苏州新名称精密制造有限公司"), changes);
        Assert.Contains(new FieldChange(nameof(Customer.Notes), original.Notes, "已核实"), changes);
        Assert.DoesNotContain(changes, c => c.Field is nameof(Customer.Version) or nameof(Customer.UpdatedAt));
    }

    [Fact]
    public async Task Creating_and_deleting_are_audited_and_a_sign_in_is_recorded()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var created = await harness.Get<CustomerService>(admin).CreateAsync(CustomerInputs.New("南京审计测试有限公司"), new ContactInput("吴芳"));
        await harness.Get<CustomerService>(admin).DeleteAsync(created.Id, created.Version);
        await harness.Get<CrmBlazor.Domain.Access.UserDirectory>(admin).SignInAsync("demo-admin", null, admin.DisplayName, null, admin.Roles);

        await using var check = harness.NewSystemContext();
        var forCustomer = await check.AuditEntries.Where(a => a.EntityId == created.Id.ToString()).Select(a => a.Action).ToListAsync();
        Assert.Equal([AuditAction.Create, AuditAction.Delete], forCustomer.Order());
        Assert.True(await check.AuditEntries.AnyAsync(a => a.Action == AuditAction.SignIn && a.UserId == admin.UserId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_app_cannot_change_or_delete_an_audit_row(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 2);
        Guid id;
        string userName;
        await using (var db = harness.NewSystemContext())
        {
            var entry = await db.AuditEntries.FirstAsync();
            id = entry.Id;
            userName = entry.UserName;
            entry.UserName = "tampered";
            Assert.Throws<InvalidOperationException>(() => db.SaveChanges());
        }
        await using (var db = harness.NewSystemContext())
        {
            db.AuditEntries.Remove(await db.AuditEntries.SingleAsync(a => a.Id == id));
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        }

        await using var check = harness.NewSystemContext();
        Assert.Equal(userName, (await check.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == id)).UserName);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_database_refuses_an_update_or_delete_of_an_audit_row_in_raw_sql(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 2);
        await using var db = harness.NewSystemContext();
        var entry = await db.AuditEntries.AsNoTracking().OrderBy(a => a.At).ThenBy(a => a.Id).FirstAsync();
        var count = await db.AuditEntries.CountAsync();

        // Past the app's interceptor: what a script or a SQL console would send.
        const string first = "(SELECT \"Id\" FROM \"AuditEntries\" ORDER BY \"At\", \"Id\" LIMIT 1)";
        var update = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            db.Database.ExecuteSqlRawAsync($"UPDATE \"AuditEntries\" SET \"UserName\" = 'tampered' WHERE \"Id\" = {first}"));
        var delete = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            db.Database.ExecuteSqlRawAsync($"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {first}"));
        var deleteAll = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEntries\""));

        Assert.All([update, delete, deleteAll], e => Assert.Contains("audit entries are append-only", e.Message, StringComparison.Ordinal));
        await using var check = harness.NewSystemContext();
        var after = await check.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == entry.Id);
        Assert.Equal((entry.UserName, entry.Action, entry.EntityId, entry.Changes), (after.UserName, after.Action, after.EntityId, after.Changes));
        Assert.Equal(count, await check.AuditEntries.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_pooled_context_saves_for_the_scope_that_rented_it_not_the_one_before(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 2);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        CrmDbContext repsContext;
        await using (var db = await harness.Get<IDbContextFactory<CrmDbContext>>(rep).CreateDbContextAsync())
        {
            repsContext = db;
            Assert.Same(rep, db.Actor);
        }

        Guid customerId;
        await using (var db = await harness.Get<IDbContextFactory<CrmDbContext>>(admin).CreateDbContextAsync())
        {
            Assert.Same(repsContext, db); // the pool gave the same context back
            var customer = await db.Customers.FirstAsync();
            customerId = customer.Id;
            customer.Notes = "池中上下文";
            await db.SaveChangesAsync();
        }

        await using var check = harness.NewSystemContext();
        var entry = await check.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == AuditAction.Update && a.EntityId == customerId.ToString());
        Assert.Equal(admin.UserId, entry.UserId);
        Assert.Equal(admin.UserId, (await check.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId)).UpdatedBy);
    }

    [Fact]
    public async Task A_context_that_knows_no_user_refuses_to_save_and_says_where_to_get_one()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        var options = new DbContextOptionsBuilder<CrmDbContext>();
        DomainServices.Configure(options, harness.Database.Settings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero)));
        await using (var db = new CrmDbContext(options.Options))
        {
            (await db.Customers.FirstAsync()).Notes = "无人";
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("IDbContextFactory", error.Message, StringComparison.Ordinal);
        }

        await using var check = harness.NewSystemContext();
        Assert.False(await check.Customers.AnyAsync(c => c.Notes == "无人"));
    }
}
