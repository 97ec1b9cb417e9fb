using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Tests.Infrastructure;
using FuzzySharp;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.DataQuality;

/// <summary>SPEC H4 and issue 18: likely duplicates by name, phone, e-mail and fuzzy name, stored, rechecked as customers change, within scope.</summary>
public sealed class DuplicateFinderTests
{
    [Fact]
    public void The_quick_similarity_bound_never_drops_a_pair_that_FuzzySharp_scores_as_similar()
    {
        // A four-letter alphabet and lengths 1-12 give many near misses (abcde / abcxy), the cases a wrong bound would drop;
        // a fixed seed, so a failure names the same pair again.
        var random = new Random(18);
        string Name() => new([.. Enumerable.Range(0, random.Next(1, 13)).Select(_ => "甲乙丙丁"[random.Next(4)])]);
        var (similar, dissimilar) = (0, 0);
        for (var i = 0; i < 200_000; i++)
        {
            var (a, b) = (Name(), Name());
            var expected = a != b && Math.Abs(a.Length - b.Length) <= 2 && Fuzz.Ratio(a, b) >= DuplicateScan.SimilarNameScore;
            Assert.True(expected == DuplicateScan.Similar(a, b), $"{a} / {b}: Fuzz.Ratio {Fuzz.Ratio(a, b)}");
            _ = expected ? similar++ : dissimilar++;
        }
        Assert.True(similar > 1_000 && dissimilar > 1_000, $"{similar} similar, {dissimilar} not: the sample must hold both");
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Pairs_are_found_by_name_phone_email_and_similar_name_with_their_reasons_and_only_within_scope(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 30);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var ids = await PlantAsync(harness, rep.UserId!.Value);

        var pairs = await harness.Get<DuplicateFinder>(rep).FindAsync();

        IReadOnlySet<DuplicateReason>? ReasonsOf(Guid a, Guid b) =>
            pairs.SingleOrDefault(p => (p.First.Id == a && p.Second.Id == b) || (p.First.Id == b && p.Second.Id == a))?.Reasons;
        Assert.Equal(new HashSet<DuplicateReason> { DuplicateReason.SameName }, ReasonsOf(ids[0], ids[1]));
        Assert.Equal(new HashSet<DuplicateReason> { DuplicateReason.SimilarName }, ReasonsOf(ids[2], ids[3]));
        Assert.Equal(new HashSet<DuplicateReason> { DuplicateReason.SamePhone, DuplicateReason.SameEmail }, ReasonsOf(ids[4], ids[5]));
        Assert.Null(ReasonsOf(ids[0], ids[2]));
        Assert.Equal(pairs.Max(p => p.Reasons.Count), pairs[0].Reasons.Count); // the most reasons rank first
        var owned = await OwnedAsync(harness, rep.UserId!.Value);
        Assert.All(pairs, p => Assert.True(owned.Contains(p.First.Id) && owned.Contains(p.Second.Id)));
        Assert.True((await harness.Get<DuplicateFinder>(analyst).FindAsync()).Count >= pairs.Count);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_full_scan_and_the_rechecks_find_the_same_pairs_and_reasons_as_the_first_finder(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 40);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        await PlantAsync(harness, rep.UserId!.Value);
        var expected = await ReferenceFinder.FindAsync(harness);
        Assert.NotEmpty(expected);

        // The demo data and the planted edits were queued as they were saved: the page's recheck finds them all.
        var rechecked = Stored(await harness.Get<DuplicateFinder>(analyst).FindAsync(max: 10_000));
        await using (var db = harness.NewSystemContext())
        {
            await DuplicateScan.ScanAllAsync(db, default);
            Assert.Equal(0, await db.DuplicateRechecks.CountAsync());
        }
        var scanned = Stored(await harness.Get<DuplicateFinder>(analyst).FindAsync(max: 10_000));

        Assert.Equal(expected, rechecked);
        Assert.Equal(expected, scanned);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_edited_customer_is_rechecked_from_its_own_keys_without_a_full_scan(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 60);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var ids = await PlantAsync(harness, rep.UserId!.Value);
        int customers;
        await using (var db = harness.NewSystemContext())
        {
            await DuplicateScan.ScanAllAsync(db, default);
            customers = await db.Customers.CountAsync();
        }
        var before = Stored(await harness.Get<DuplicateFinder>(analyst).FindAsync(max: 10_000));

        // ids[3] becomes the same company as ids[0] (another spelling of its legal form), and stops being like ids[2].
        await RenameAsync(harness, ids[3], "杭州鼎盛商贸集团公司", "杭州");
        RecheckResult result;
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal([ids[3]], await db.DuplicateRechecks.Select(r => r.CustomerId).ToListAsync());
            result = await DuplicateScan.RecheckPendingAsync(db, default);
        }
        var after = Stored(await harness.Get<DuplicateFinder>(analyst).FindAsync(max: 10_000));

        Assert.Equal(1, result.Customers);
        Assert.True(result.Compared < customers / 4, $"compared with {result.Compared} of {customers} customers");
        Assert.Contains(after, p => p.Key == Pair(ids[0], ids[3]) && p.Value == "SameName");
        Assert.Contains(after, p => p.Key == Pair(ids[1], ids[3]) && p.Value == "SameName");
        Assert.DoesNotContain(after, p => p.Key == Pair(ids[2], ids[3]));
        // every pair without ids[3] is as it was
        Assert.Equal(before.Where(p => p.Key.Item1 != ids[3] && p.Key.Item2 != ids[3]), after.Where(p => p.Key.Item1 != ids[3] && p.Key.Item2 != ids[3]));
        Assert.Equal(await ReferenceFinder.FindAsync(harness), after);
    }

    /// <summary>Six of the rep's customers made into three pairs, through tracked saves as the app makes them.</summary>
    private static async Task<List<Guid>> PlantAsync(DomainHarness harness, Guid repId)
    {
        List<Guid> ids;
        await using (var db = harness.NewSystemContext())
        {
            ids = await db.Customers.Where(c => c.OwnerId == repId).OrderBy(c => c.Number).Select(c => c.Id).Take(6).ToListAsync();
        }
        await RenameAsync(harness, ids[0], "杭州鼎盛商贸有限公司", "杭州");
        await RenameAsync(harness, ids[1], "杭州鼎盛商贸股份有限公司", "杭州"); // the same once the legal form is set aside
        await RenameAsync(harness, ids[2], "苏州长青精密制造有限公司", "苏州");
        await RenameAsync(harness, ids[3], "苏州长菁精密制造有限公司", "苏州"); // one character apart
        await ReachAsync(harness, ids[4], "13912345678", "same@example.cn");
        await ReachAsync(harness, ids[5], "13912345678", "SAME@example.cn");
        return ids;
    }

    private static async Task RenameAsync(DomainHarness harness, Guid id, string name, string city)
    {
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.Include(c => c.Contacts).SingleAsync(c => c.Id == id);
        (customer.Name, customer.City) = (name, city);
        await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, default);
        await db.SaveChangesAsync();
    }

    private static async Task ReachAsync(DomainHarness harness, Guid id, string mobile, string email)
    {
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.Include(c => c.Contacts).SingleAsync(c => c.Id == id);
        foreach (var contact in customer.Contacts)
        {
            (contact.Mobile, contact.Email) = (mobile, email);
        }
        await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, default);
        await db.SaveChangesAsync();
    }

    private static (Guid, Guid) Pair(Guid a, Guid b) => a.CompareTo(b) < 0 ? (a, b) : (b, a);

    private static Dictionary<(Guid, Guid), string> Stored(IEnumerable<DuplicatePair> pairs) =>
        pairs.ToDictionary(p => Pair(p.First.Id, p.Second.Id), p => string.Join(",", p.Reasons.Order()));

    private static async Task<HashSet<Guid>> OwnedAsync(DomainHarness harness, Guid owner)
    {
        await using var db = harness.NewSystemContext();
        return (await db.Customers.Where(c => c.OwnerId == owner).Select(c => c.Id).ToListAsync()).ToHashSet();
    }

    /// <summary>The first finder (before issue 18), kept as the reference: every customer in memory, every pair in a city compared.</summary>
    private static class ReferenceFinder
    {
        public static async Task<Dictionary<(Guid, Guid), string>> FindAsync(DomainHarness harness)
        {
            await using var db = harness.NewSystemContext();
            var customers = await db.Customers.AsNoTracking()
                .Select(c => new
                {
                    c.Id, c.Name, c.City,
                    Mobiles = c.Contacts.Where(k => !k.HasLeft && k.Mobile != null).Select(k => k.Mobile!).ToList(),
                    Emails = c.Contacts.Where(k => !k.HasLeft && k.Email != null).Select(k => k.Email!).ToList(),
                })
                .ToListAsync();
            var names = customers.ToDictionary(c => c.Id, c => CustomerSearch.NameKeyOf(c.Name));
            var pairs = new Dictionary<(Guid, Guid), SortedSet<DuplicateReason>>();
            void Add(Guid a, Guid b, DuplicateReason reason)
            {
                if (!pairs.TryGetValue(Pair(a, b), out var reasons))
                {
                    pairs[Pair(a, b)] = reasons = [];
                }
                reasons.Add(reason);
            }
            void Group(IEnumerable<(string Key, Guid Id)> keyed, DuplicateReason reason)
            {
                foreach (var group in keyed.Where(k => k.Key.Length > 0).GroupBy(k => k.Key))
                {
                    var ids = group.Select(x => x.Id).Distinct().ToList();
                    for (var i = 0; i < ids.Count; i++)
                    {
                        for (var j = i + 1; j < ids.Count; j++)
                        {
                            Add(ids[i], ids[j], reason);
                        }
                    }
                }
            }
            Group(names.Select(n => (n.Value, n.Key)), DuplicateReason.SameName);
            Group(customers.SelectMany(c => c.Mobiles.Select(m => (m, c.Id))), DuplicateReason.SamePhone);
            Group(customers.SelectMany(c => c.Emails.Select(e => (e.ToLowerInvariant(), c.Id))), DuplicateReason.SameEmail);
            foreach (var city in customers.GroupBy(c => c.City ?? ""))
            {
                var inCity = city.ToList();
                for (var i = 0; i < inCity.Count; i++)
                {
                    for (var j = i + 1; j < inCity.Count; j++)
                    {
                        var (a, b) = (names[inCity[i].Id], names[inCity[j].Id]);
                        if (a != b && Math.Abs(a.Length - b.Length) <= 2 && Fuzz.Ratio(a, b) >= 80)
                        {
                            Add(inCity[i].Id, inCity[j].Id, DuplicateReason.SimilarName);
                        }
                    }
                }
            }
            return pairs.ToDictionary(p => p.Key, p => string.Join(",", p.Value));
        }
    }
}
