using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// The list reads a page, then the tags and custom values of only those of its customers that have some, and counts only
/// when the page does not tell the total (issue 18): every page must still carry the right total, and each customer its
/// own tags and values, once each.
/// </summary>
public sealed class CustomerListPagingTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Every_page_carries_the_total_and_each_customer_its_own_tags_and_custom_values(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 60);
        var admin = await harness.DemoUserAsync("demo-admin");
        var queries = harness.Get<CustomerQueries>(admin);
        await using var db = harness.NewSystemContext();
        var all = await db.Customers.AsNoTracking().Include(c => c.Tags).ThenInclude(t => t.Tag).Include(c => c.CustomValues).ToListAsync();
        var count = all.Count;
        Assert.True(count > 50 && count % 25 != 0, $"the fixture needs a last page that is not full ({count} customers)");
        Assert.Contains(all, c => c.Tags.Count >= 2 && c.CustomValues.Count >= 1); // a customer whose tags and values multiply in the join

        var pages = new List<CustomerListItem>();
        for (var page = 0; page * 25 < count; page++)
        {
            var result = await queries.ListAsync(new CustomerFilter(), page, 25);
            Assert.Equal(count, result.TotalCount); // a full page counts; the last, part-filled page tells it
            pages.AddRange(result.Items);
        }
        Assert.Equal(all.Select(c => c.Number).Order(StringComparer.Ordinal), pages.Select(i => i.Number));
        foreach (var customer in all)
        {
            var item = pages.Single(i => i.Id == customer.Id);
            Assert.Equal(customer.Tags.Select(t => t.Tag!.Name).Order(StringComparer.Ordinal), item.Tags.Select(t => t.Name));
            Assert.Equal(customer.CustomValues.Select(v => (v.FieldId, v.Text, v.Number, v.Date, v.YesNo)).OrderBy(v => v.FieldId),
                item.CustomValues.Values.Select(v => (v.FieldId, v.Text, v.Number, v.Date, v.YesNo)).OrderBy(v => v.FieldId));
        }

        var pastTheEnd = await queries.ListAsync(new CustomerFilter(), 10, 25);
        Assert.Empty(pastTheEnd.Items);
        Assert.Equal(count, pastTheEnd.TotalCount); // an empty page past the end counts

        var none = await queries.ListAsync(new CustomerFilter { Search = "没有这个客户的名字" }, 0, 25);
        Assert.Equal((0, 0), (none.Items.Count, none.TotalCount));

        var one = all[7];
        var found = await queries.ListAsync(new CustomerFilter { Search = one.Number }, 0, 25);
        Assert.Equal(found.Items.Count, found.TotalCount);
        Assert.Contains(found.Items, i => i.Id == one.Id);
        Assert.Equal(await queries.CountAsync(new CustomerFilter { Search = one.Number }), found.TotalCount);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_filter_of_one_value_or_several_finds_the_customers_holding_them(DatabaseProvider provider)
    {
        // One value is written as an equality, several as IN (the list keeps one statement for the first): both must hold.
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 60);
        var queries = harness.Get<CustomerQueries>(await harness.DemoUserAsync("demo-admin"));
        await using var db = harness.NewSystemContext();
        var all = await db.Customers.AsNoTracking().ToListAsync();
        var dimensions = new (Func<Customer, string?> Of, Func<string[], CustomerFilter> Filter)[]
        {
            (c => c.Industry, v => new CustomerFilter { Industries = v }),
            (c => c.Size, v => new CustomerFilter { Sizes = v }),
            (c => c.Status, v => new CustomerFilter { Statuses = v }),
            (c => c.Tier, v => new CustomerFilter { Tiers = v }),
        };
        foreach (var (of, filter) in dimensions)
        {
            var values = all.Select(of).OfType<string>().Distinct().Order(StringComparer.Ordinal).Take(2).ToArray();
            Assert.True(values.Length == 2, "the fixture needs two values of each dimension");
            foreach (var chosen in new[] { values[..1], values })
            {
                var expected = all.Where(c => chosen.Contains(of(c))).Select(c => c.Id).Order().ToList();
                var found = await queries.ListAsync(filter(chosen), 0, 500);
                Assert.Equal(expected, found.Items.Select(i => i.Id).Order().ToList());
                Assert.Equal(expected.Count, found.TotalCount);
            }
        }
    }
}
