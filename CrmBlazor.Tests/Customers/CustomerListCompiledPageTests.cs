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
        var all = await db.Customers.AsNoTracking().Include(c => c.Tags).ThenInclude(t => t.Tag).Include(c => c.CustomValues).ToDictionaryAsync(c => c.Id);
        // The admin and the analyst see everyone, the rep only their own: compiled. The supervisor's team scope is not: LINQ.
        foreach (var (externalId, compiled) in new[] { ("demo-admin", true), ("demo-analyst", true), ("demo-salesrep", true), ("demo-supervisor", false) })
        {
            var user = await harness.DemoUserAsync(externalId);
            var queries = harness.Get<CustomerQueries>(user);
            foreach (var term in terms.Prepend(""))
            {
                foreach (var (page, size) in new[] { (0, 50), (1, 10) })
                {
                    var filter = new CustomerFilter { Search = term };
                    var found = await queries.ListAsync(filter, page, size);

                    var general = CustomerSearch.Matching(db, db.Customers.AsNoTracking().VisibleTo(user), term);
                    var expected = await general.OrderBy(c => c.NumberOrder).ThenBy(c => c.Id).Skip(page * size).Take(size).Select(c => c.Id).ToListAsync();
                    Assert.Equal(expected, found.Items.Select(i => i.Id).ToList());
                    Assert.Equal(await general.CountAsync(), found.TotalCount);
                    foreach (var item in found.Items)
                    {
                        Assert.Equal(all[item.Id].Tags.Select(t => t.Tag!.Name).Order(StringComparer.Ordinal), item.Tags.Select(t => t.Name));
                        Assert.Equal(all[item.Id].CustomValues.Select(v => v.FieldId).Order(), item.CustomValues.Keys.Order());
                    }

                    // The page itself came from the compiled statement (and the same rows), or from LINQ for the supervisor and
                    // for a term of more name pieces than are compiled (an e-mail address).
                    await using var context = harness.NewSystemContext();
                    var rows = await CustomerListStatements.CompiledPageAsync(context, filter, user, page * size, size, CancellationToken.None);
                    var withinPieces = term.Length == 0 || CustomerSearch.KeysOf(term) is { Pieces.Count: <= CustomerListStatements.MostPiecesCompiled };
                    Assert.Equal(compiled && withinPieces, rows is not null);
                    if (rows is not null)
                    {
                        Assert.Equal(expected, rows.Select(r => r.Item.Id).ToList());
                    }
                }
            }
        }
        Assert.Contains(all.Values, c => c.Tags.Count > 0 && c.CustomValues.Count > 0); // the fixture has both to read
        Assert.Contains(terms, t => CustomerSearch.KeysOf(t) is { Pieces.Count: > CustomerListStatements.MostPiecesCompiled });

        var admin = harness.Get<CustomerQueries>(await harness.DemoUserAsync("demo-admin"));
        Assert.Equal(someone.Id, (await admin.ListAsync(new CustomerFilter { Search = "CRM19990001" }, 0, 50)).Items.Single().Id);
        var bySize = await admin.ListAsync(new CustomerFilter { Search = someone.Number[..5] }, 0, 10);
        Assert.Equal(10, bySize.Items.Count); // the page size is the caller's, each size its own statement
        Assert.True(bySize.TotalCount > 10);
    }

    [Fact]
    public void Every_filter_member_but_the_search_box_leaves_the_compiled_page()
    {
        // A member added to CustomerFilter and to the list's LINQ, but not to the compiled page's check, would be ignored by
        // the page while the count applies it. Each member set to something else than its default must leave the check.
        var searchOnly = new CustomerFilter { Search = "瑞丰" };
        Assert.True(CustomerListStatements.IsOpeningOrSearchOnly(new CustomerFilter()));
        Assert.True(CustomerListStatements.IsOpeningOrSearchOnly(searchOnly));
        var members = typeof(CustomerFilter).GetProperties().Where(p => p.CanWrite && p.Name != nameof(CustomerFilter.Search)).ToList();
        Assert.True(members.Count >= 15, "expected the filter's members");
        foreach (var member in members)
        {
            object value = member.PropertyType switch
            {
                var t when t == typeof(IReadOnlyList<string>) => new[] { "finance" },
                var t when t == typeof(IReadOnlyList<Guid>) => new[] { Guid.NewGuid() },
                var t when t == typeof(IReadOnlyList<CustomFieldFilter>) => new[] { new CustomFieldFilter(Guid.NewGuid(), Text: "x") },
                var t when t == typeof(Guid?) => Guid.NewGuid(),
                var t when t == typeof(string) => "杭州市",
                var t when t == typeof(DateTime?) => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                var t when t == typeof(bool) => true,
                var t when t == typeof(CustomerSort) => CustomerSort.Name,
                var t => throw new InvalidOperationException($"{member.Name}: a member of type {t} this test does not know yet"),
            };
            var changed = searchOnly with { };
            member.SetValue(changed, value);
            Assert.False(CustomerListStatements.IsOpeningOrSearchOnly(changed), $"{member.Name} set, yet the compiled page would run");
        }
    }
}
