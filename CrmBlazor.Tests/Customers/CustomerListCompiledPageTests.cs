using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// The list as it opens and the search box alone run compiled statements (issue 18, the list within 1.5× of hand-written
/// SQL), written apart from the LINQ every other call uses. They must find exactly what that LINQ finds: the record scope,
/// the search's three ways in (number, mobile or e-mail by prefix; every piece of a name; a merged customer's old number),
/// the number order, the page and the total.
/// </summary>
public sealed class CustomerListCompiledPageTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_compiled_list_and_search_find_what_the_general_query_finds(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 60);
        await using var db = harness.NewSystemContext();
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var someone = await db.Customers.AsNoTracking().Include(c => c.Contacts)
            .Where(c => c.OwnerId == rep.UserId && c.Contacts.Any(k => k.Mobile != null && k.Email != null))
            .OrderBy(c => c.NumberOrder).FirstAsync();
        var contact = someone.Contacts.First(k => k.Mobile != null && k.Email != null);
        // A merged customer's old number, as a merge leaves it.
        db.CustomerAliases.Add(new CustomerAlias { Number = "CRM19990001", CustomerId = someone.Id, MergedId = Guid.NewGuid(), MergedName = "旧公司" });
        await db.SaveChangesAsync();

        string[] terms =
        [
            someone.Name, // every piece of a whole name
            someone.Name[..2], // one piece, shared by several names
            CustomerSearch.Normalize(someone.Name)[1..4], // pieces from inside a name
            contact.Name,
            contact.Mobile![..7], // a mobile by prefix
            contact.Email!,
            someone.Number,
            someone.Number[..5], // many numbers by prefix: more than a page
            "crm19990001", // the merged number, in another case
            "没有这个客户的名字",
        ];
        foreach (var externalId in new[] { "demo-admin", "demo-salesrep" })
        {
            var user = await harness.DemoUserAsync(externalId);
            var queries = harness.Get<CustomerQueries>(user);
            foreach (var term in terms.Prepend(""))
            {
                foreach (var (page, size) in new[] { (0, 50), (1, 10) })
                {
                    var found = await queries.ListAsync(new CustomerFilter { Search = term }, page, size);

                    var general = CustomerSearch.Matching(db, db.Customers.AsNoTracking().VisibleTo(user), term);
                    var expected = await general.OrderBy(c => c.NumberOrder).ThenBy(c => c.Id).Skip(page * size).Take(size).Select(c => c.Id).ToListAsync();
                    Assert.Equal(expected, found.Items.Select(i => i.Id).ToList());
                    Assert.Equal(await general.CountAsync(), found.TotalCount);
                }
            }
        }

        var admin = harness.Get<CustomerQueries>(await harness.DemoUserAsync("demo-admin"));
        Assert.Equal(someone.Id, (await admin.ListAsync(new CustomerFilter { Search = "CRM19990001" }, 0, 50)).Items.Single().Id);
        var bySize = await admin.ListAsync(new CustomerFilter { Search = someone.Number[..5] }, 0, 10);
        Assert.Equal(10, bySize.Items.Count); // the page size is the caller's, each size its own statement
        Assert.True(bySize.TotalCount > 10);
    }
}
