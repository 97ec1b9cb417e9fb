using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.DataQuality;

/// <summary>SPEC H4: likely duplicates by name, phone, e-mail and fuzzy name, within scope.</summary>
public sealed class DuplicateFinderTests
{
    [Fact]
    public async Task Pairs_are_found_by_name_phone_email_and_similar_name_with_their_reasons_and_only_within_scope()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 30);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var analyst = await harness.DemoUserAsync("demo-analyst");
        List<Guid> ids;
        await using (var db = harness.NewSystemContext())
        {
            ids = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(6).ToListAsync();
            async Task Name(Guid id, string name, string city) =>
                await db.Customers.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Name, name).SetProperty(c => c.City, city));
            await Name(ids[0], "杭州鼎盛商贸有限公司", "杭州");
            await Name(ids[1], "杭州鼎盛商贸股份有限公司", "杭州"); // the same once the legal form is set aside
            await Name(ids[2], "苏州长青精密制造有限公司", "苏州");
            await Name(ids[3], "苏州长菁精密制造有限公司", "苏州"); // one character apart
            await db.Contacts.Where(k => k.CustomerId == ids[4]).ExecuteUpdateAsync(s => s.SetProperty(k => k.Mobile, "13912345678").SetProperty(k => k.Email, "same@example.cn"));
            await db.Contacts.Where(k => k.CustomerId == ids[5]).ExecuteUpdateAsync(s => s.SetProperty(k => k.Mobile, "13912345678").SetProperty(k => k.Email, "SAME@example.cn"));
        }

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

    private static async Task<HashSet<Guid>> OwnedAsync(DomainHarness harness, Guid owner)
    {
        await using var db = harness.NewSystemContext();
        return (await db.Customers.Where(c => c.OwnerId == owner).Select(c => c.Id).ToListAsync()).ToHashSet();
    }
}
