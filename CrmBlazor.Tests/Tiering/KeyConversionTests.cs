using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Tiering;

/// <summary>SPEC E3 key-customer conversion from the tier history, on a fixture with known moves in March 2030.</summary>
public sealed class KeyConversionTests
{
    private static DateTime March(int day) => new(2030, 3, day, 2, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Conversion_counts_customers_below_S_and_A_at_the_start_that_end_the_period_in_them_by_the_tier_they_came_from(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 10);
        var analyst = await harness.DemoUserAsync("demo-analyst");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        int total, repsCustomers;
        Guid[] c;
        await using (var db = harness.NewSystemContext())
        {
            await db.TierChanges.ExecuteDeleteAsync();
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(x => x.Tier, "C"));
            c = [.. await db.Customers.OrderBy(x => x.Number).Select(x => x.Id).Take(8).ToListAsync()];
            total = await db.Customers.CountAsync();
            repsCustomers = await db.Customers.CountAsync(x => x.OwnerId == rep.UserId);
            await SetTierAsync(db, c[0], "A");
            await SetTierAsync(db, c[1], "S");
            await SetTierAsync(db, c[2], "B");
            await SetTierAsync(db, c[3], "A");
            await SetTierAsync(db, c[4], "B");
            await SetTierAsync(db, c[5], "A");
            await SetTierAsync(db, c[6], "A");
            await SetTierAsync(db, c[7], "B");
            db.TierChanges.AddRange(
                Change(c[0], "C", "A", March(5)),                                  // converted, from C
                Change(c[1], "B", "S", March(6)),                                  // converted, from B
                Change(c[2], "B", "A", March(2)), Change(c[2], "A", "B", March(20)), // up and back down: not converted
                Change(c[4], "S", "B", March(10)),                                 // key at the start: not a candidate
                Change(c[5], null, "A", March(8)),                                 // a new customer straight into A
                Change(c[6], "C", "A", new DateTime(2030, 4, 2, 2, 0, 0, DateTimeKind.Utc)), // after the period: C at its end
                Change(c[7], "C", "B", new DateTime(2030, 2, 10, 2, 0, 0, DateTimeKind.Utc))); // before it
            await db.SaveChangesAsync();
        }
        // c[3] is A with no change since: key at the start, not a candidate either.

        var conversion = await harness.Get<KeyCustomerConversion>(analyst).LoadAsync(March(1).AddHours(-10), new DateTime(2030, 3, 31, 16, 0, 0, DateTimeKind.Utc));

        Assert.Equal(total - 2, conversion.Candidates);
        Assert.Equal(3, conversion.Converted);
        Assert.Equal([(null, 1), ("B", 1), ("C", 1)], conversion.From.Select(f => (f.FromTier, f.Customers)));
        Assert.Equal(3m / (total - 2), conversion.Rate);

        // A rep's conversion counts only their own customers.
        var own = await harness.Get<KeyCustomerConversion>(rep).LoadAsync(March(1).AddHours(-10), new DateTime(2030, 3, 31, 16, 0, 0, DateTimeKind.Utc));
        Assert.True(own.Candidates <= repsCustomers);
        Assert.True(own.Converted <= conversion.Converted);
    }

    private static Task<int> SetTierAsync(CrmDbContext db, Guid id, string tier) =>
        db.Customers.Where(x => x.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Tier, tier));

    private static TierChange Change(Guid customer, string? from, string to, DateTime at) =>
        new() { CustomerId = customer, FromTier = from, ToTier = to, At = at, Reason = "测试" };
}
