using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// The list as it opens, narrowed by one value per field, and the search box alone run compiled statements (issue 18, the list within 1.5× of hand-written
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
                    // The total, counted by the compiled search's own statement.
                    var count = CustomerListStatements.CompiledCountAsync(context, filter, user, CancellationToken.None);
                    Assert.Equal(compiled && withinPieces, count is not null);
                    if (count is not null)
                    {
                        Assert.Equal(found.TotalCount, await count);
                    }
                }
            }
        }
        Assert.Contains(all.Values, c => c.Tags.Count > 0 && c.CustomValues.Count > 0); // the fixture has both to read
        Assert.Contains(terms, t => CustomerSearch.KeysOf(t) is { Pieces.Count: > 2 and <= CustomerListStatements.MostPiecesCompiled });
        Assert.Contains(terms, t => CustomerSearch.KeysOf(t) is { Pieces.Count: > CustomerListStatements.MostPiecesCompiled });

        var admin = harness.Get<CustomerQueries>(await harness.DemoUserAsync("demo-admin"));
        Assert.Equal(someone.Id, (await admin.ListAsync(new CustomerFilter { Search = "CRM19990001" }, 0, 50)).Items.Single().Id);
        var bySize = await admin.ListAsync(new CustomerFilter { Search = someone.Number[..5] }, 0, 10);
        Assert.Equal(10, bySize.Items.Count); // the page size is the caller's, each size its own statement
        Assert.True(bySize.TotalCount > 10);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_compiled_narrowed_list_finds_what_the_general_query_finds(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 80);
        await using var db = harness.NewSystemContext();
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var sample = await db.Customers.AsNoTracking().Where(c => c.OwnerId == rep.UserId && c.Industry != null && c.Size != null && c.Tier != null
            && c.Province != null && c.City != null && c.LastContactAt != null).OrderBy(c => c.NumberOrder).FirstAsync();
        var since = sample.LastContactAt!.Value.AddDays(-30);
        var before = sample.LastContactAt.Value.AddDays(1);

        // Each value the list narrows by alone, several together, and the orders; each beside the same customers written plainly.
        var cases = new List<(string Name, CustomerFilter Filter, Func<IQueryable<Customer>, IQueryable<Customer>> Expected)>
        {
            ("nothing", new CustomerFilter(), q => q),
            ("industry", new CustomerFilter { Industries = [sample.Industry!] }, q => q.Where(c => c.Industry == sample.Industry)),
            ("size", new CustomerFilter { Sizes = [sample.Size!] }, q => q.Where(c => c.Size == sample.Size)),
            ("status", new CustomerFilter { Statuses = [sample.Status] }, q => q.Where(c => c.Status == sample.Status)),
            ("tier", new CustomerFilter { Tiers = [sample.Tier!] }, q => q.Where(c => c.Tier == sample.Tier)),
            ("owner", new CustomerFilter { OwnerId = rep.UserId }, q => q.Where(c => c.OwnerId == rep.UserId)),
            ("province", new CustomerFilter { Province = sample.Province }, q => q.Where(c => c.Province == sample.Province)),
            ("city", new CustomerFilter { City = sample.City }, q => q.Where(c => c.City == sample.City)),
            ("never contacted", new CustomerFilter { NeverContacted = true }, q => q.Where(c => c.LastContactAt == null)),
            ("contacted since", new CustomerFilter { LastContactFrom = since }, q => q.Where(c => c.LastContactAt >= since)),
            ("contacted before", new CustomerFilter { LastContactTo = before }, q => q.Where(c => c.LastContactAt < before)),
            ("status and industry by name", new CustomerFilter { Statuses = [sample.Status], Industries = [sample.Industry!], Sort = CustomerSort.Name },
                q => q.Where(c => c.Status == sample.Status && c.Industry == sample.Industry)),
            ("province, tier and a contact window", new CustomerFilter { Province = sample.Province, Tiers = [sample.Tier!], LastContactFrom = since, LastContactTo = before },
                q => q.Where(c => c.Province == sample.Province && c.Tier == sample.Tier && c.LastContactAt >= since && c.LastContactAt < before)),
        };
        foreach (var sort in Enum.GetValues<CustomerSort>().Where(s => s != CustomerSort.CustomField))
        {
            foreach (var descending in new[] { false, true })
            {
                cases.Add(($"by {sort}{(descending ? " descending" : "")}", new CustomerFilter { Sort = sort, Descending = descending }, q => q));
            }
        }
        // Another rep's customers: the admin sees them, the rep none (the filter's owner does not replace the rep's own scope).
        var otherRep = await harness.DemoUserAsync("demo-salesrep2");
        cases.Add(("another rep's", new CustomerFilter { OwnerId = otherRep.UserId }, q => q.Where(c => c.OwnerId == otherRep.UserId)));

        foreach (var (externalId, compiled) in new[] { ("demo-admin", true), ("demo-salesrep", true), ("demo-supervisor", false) })
        {
            var user = await harness.DemoUserAsync(externalId);
            var queries = harness.Get<CustomerQueries>(user);
            foreach (var (name, filter, expectedOf) in cases)
            {
                var general = expectedOf(db.Customers.AsNoTracking().VisibleTo(user));
                var total = await general.CountAsync();
                foreach (var (page, size) in new[] { (0, 25), (1, 10) })
                {
                    var expected = await CustomerQueries.Sorted(general, filter).Skip(page * size).Take(size).Select(c => c.Id).ToListAsync();
                    var found = await queries.ListAsync(filter, page, size);
                    Assert.True(expected.SequenceEqual(found.Items.Select(i => i.Id)), $"{externalId}, {name}, page {page} of {size}: other customers");
                    Assert.True(total == found.TotalCount, $"{externalId}, {name}: total {found.TotalCount}, expected {total}");

                    await using var context = harness.NewSystemContext();
                    var rows = await CustomerListStatements.CompiledPageAsync(context, filter, user, page * size, size, CancellationToken.None);
                    Assert.Equal(compiled, rows is not null);
                    var count = CustomerListStatements.CompiledCountAsync(context, filter, user, CancellationToken.None);
                    Assert.Equal(compiled, count is not null);
                    if (rows is not null && count is not null)
                    {
                        Assert.Equal(expected, rows.Select(r => r.Item.Id).ToList());
                        Assert.Equal(total, await count);
                    }
                }
            }
        }
        // A page size the app does not ask for takes the LINQ (each compiled size is a statement kept for good).
        await using (var context = harness.NewSystemContext())
        {
            Assert.Null(await CustomerListStatements.CompiledPageAsync(context, new CustomerFilter(), await harness.DemoUserAsync("demo-admin"), 0, 20, CancellationToken.None));
        }
        // The fixture narrows to something for each value, and not to everyone.
        var all = await db.Customers.CountAsync();
        foreach (var (name, _, expectedOf) in cases.Where(c => c.Filter != new CustomerFilter() && !c.Name.StartsWith("by ", StringComparison.Ordinal)))
        {
            var matching = await expectedOf(db.Customers).CountAsync();
            Assert.True(matching > 0 && (matching < all || name == "contacted before"), $"{name}: {matching} of {all}, not a narrowing this test can check");
        }
    }

    [Fact]
    public void Two_values_of_a_field_tags_custom_fields_or_a_search_with_a_filter_leave_the_compiled_narrowing()
    {
        Assert.NotNull(CustomerListStatements.NarrowingOf(new CustomerFilter { Industries = ["finance"], Sort = CustomerSort.Owner }));
        Assert.Null(CustomerListStatements.NarrowingOf(new CustomerFilter { Industries = ["finance", "retail"] }));
        Assert.Null(CustomerListStatements.NarrowingOf(new CustomerFilter { Tiers = [null!] })); // the LINQ finds the customers without a tier
        Assert.Null(CustomerListStatements.NarrowingOf(new CustomerFilter { TagIds = [Guid.NewGuid()] }));
        Assert.Null(CustomerListStatements.NarrowingOf(new CustomerFilter { CustomFields = [new CustomFieldFilter(Guid.NewGuid(), Text: "x")] }));
        Assert.Null(CustomerListStatements.NarrowingOf(new CustomerFilter { Sort = CustomerSort.CustomField, SortFieldId = Guid.NewGuid() }));
        Assert.Null(CustomerListStatements.NarrowingOf(new CustomerFilter { Search = "瑞丰", Industries = ["finance"] }));
        Assert.False(CustomerListStatements.IsSearchOnly(new CustomerFilter { Search = "瑞丰", Industries = ["finance"] }));
    }

    [Fact]
    public void Every_filter_member_takes_part_in_the_compiled_statements()
    {
        // A member added to CustomerFilter and to the list's LINQ, but not to the compiled statements' checks, would be ignored
        // by them. Each member set to something else than its default must change the narrowing (or leave it for LINQ), and
        // must leave the search box's compiled page.
        var searchOnly = new CustomerFilter { Search = "瑞丰" };
        var opening = CustomerListStatements.NarrowingOf(new CustomerFilter());
        Assert.NotNull(opening);
        Assert.True(CustomerListStatements.IsSearchOnly(searchOnly));
        Assert.Null(CustomerListStatements.NarrowingOf(searchOnly));
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
            var changed = new CustomerFilter();
            member.SetValue(changed, value);
            Assert.True(CustomerListStatements.NarrowingOf(changed) != opening, $"{member.Name} set, yet the compiled narrowing is the list as it opens");
            var searched = searchOnly with { };
            member.SetValue(searched, value);
            Assert.False(CustomerListStatements.IsSearchOnly(searched), $"{member.Name} set, yet the search box's compiled page would run");
        }
    }
}
