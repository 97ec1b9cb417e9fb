using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Customers;

/// <summary>Customer numbers sort as numbers: CRM20261000 comes after CRM2026999 (docs/decisions/0007).</summary>
public sealed class CustomerNumberOrderTests
{
    [Fact]
    public void The_sort_key_orders_by_year_then_serial_and_puts_other_numbers_last()
    {
        string[] numbers = ["CRM20261000", "LEGACY-7", "CRM2027001", "CRM2026999", "CRM2026001"];

        Assert.Equal(["CRM2026001", "CRM2026999", "CRM20261000", "CRM2027001", "LEGACY-7"], numbers.OrderBy(CustomerNumbers.OrderOf));
        Assert.Equal(CustomerNumbers.Unordered, CustomerNumbers.OrderOf("CRM2026"));
        Assert.Equal(CustomerNumbers.Unordered, CustomerNumbers.OrderOf("CRM2026１２"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_list_sorted_by_number_puts_CRM2026999_before_CRM20261000(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 3, 8, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using (var db = harness.NewSystemContext())
        {
            await db.NumberSequences.Where(s => s.Key == "CRM2026").ExecuteDeleteAsync();
            db.NumberSequences.Add(new NumberSequence { Key = "CRM2026", Last = 998 });
            await db.SaveChangesAsync();
        }
        var customers = harness.Get<CustomerService>(rep);
        var first = await customers.CreateAsync(CustomerInputs.New("宁波九九九有限公司"), new ContactInput("王一"));
        var second = await customers.CreateAsync(CustomerInputs.New("宁波一千有限公司"), new ContactInput("王二"));
        Assert.Equal(("CRM2026999", "CRM20261000"), (first.Number, second.Number));

        var queries = harness.Get<CustomerQueries>(rep);
        var ascending = await queries.ListAsync(new CustomerFilter { OwnerId = rep.UserId, Sort = CustomerSort.Number }, 0, 50);
        var descending = await queries.ListAsync(new CustomerFilter { OwnerId = rep.UserId, Sort = CustomerSort.Number, Descending = true }, 0, 50);

        Assert.Equal(["CRM2026999", "CRM20261000"], ascending.Items.Select(c => c.Number));
        Assert.Equal(["CRM20261000", "CRM2026999"], descending.Items.Select(c => c.Number));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_migration_gives_existing_numbers_the_key_new_ones_get(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 3);
        await using var db = harness.NewSystemContext();
        var ids = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
        var migrations = db.Database.GetMigrations().ToList();
        var before = migrations[migrations.FindIndex(m => m.EndsWith("_CustomerNumberOrder", StringComparison.Ordinal)) - 1];
        var migrator = db.GetService<IMigrator>();

        await migrator.MigrateAsync(before);
        string[] oldNumbers = ["CRM20261000", "CRM2026999", "LEGACY-7"];
        for (var i = 0; i < ids.Count; i++)
        {
            var (id, number) = (ids[i], oldNumbers[i]);
            // Touches only Number and Id, so it runs against the table as it was before the column existed.
            await db.Customers.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Number, number));
        }
        await migrator.MigrateAsync();

        var keys = await db.Customers.AsNoTracking().Select(c => new { c.Number, c.NumberOrder }).ToListAsync();
        Assert.All(keys, k => Assert.Equal(CustomerNumbers.OrderOf(k.Number), k.NumberOrder));
        Assert.Equal(["CRM2026999", "CRM20261000", "LEGACY-7"], keys.OrderBy(k => k.NumberOrder).Select(k => k.Number));
    }
}
