using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tiering;

/// <summary>Customers who became key customers in a period, by the tier they came from (null: none, such as a new customer).</summary>
public sealed record KeyConversionSource(string? FromTier, int Customers);

/// <summary>
/// Key-customer conversion (SPEC E3): of the customers in scope that were not S or A when the period began
/// (<see cref="Candidates"/>), those that were S or A at its end (<see cref="Converted"/>), each counted once under the
/// tier it held at the start. A customer that went B → A → B within the period did not convert.
/// </summary>
public sealed record KeyConversion(int Candidates, int Converted, IReadOnlyList<KeyConversionSource> From)
{
    public decimal? Rate => Candidates == 0 ? null : (decimal)Converted / Candidates;
}

/// <summary>Reads key-customer conversion from the <see cref="TierChange"/> rows, set-based, within the caller's record scope.</summary>
public sealed class KeyCustomerConversion(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, SharedReads sharedReads)
{
    /// <summary>The key tiers (SPEC E1: S strategic, A key).</summary>
    public static readonly IReadOnlyList<string> KeyTiers = ["S", "A"];

    /// <summary>Conversion over [<paramref name="since"/>, <paramref name="until"/>); <paramref name="afterEvent"/> as for <see cref="TierDashboard.LoadAsync"/>.</summary>
    public async Task<KeyConversion> LoadAsync(DateTime since, DateTime until, Guid? afterEvent = null, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tiering, Operation.View);
        return await sharedReads.ReadAsync(afterEvent, currentUser, ("key-conversion", since, until), ct => ReadAsync(since, until, ct), cancellationToken);
    }

    private async Task<KeyConversion> ReadAsync(DateTime since, DateTime until, CancellationToken cancellationToken)
    {
        var keys = KeyTiers.ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = db.Customers.VisibleTo(currentUser);
        var changes = from customer in customers
                      join change in db.TierChanges on customer.Id equals change.CustomerId
                      select change;

        // Tier at the start: the "from" of the first change at or after it; with none since, the tier held now.
        var firstSince = changes.Where(c => c.At >= since).GroupBy(c => c.CustomerId).Select(g => new { CustomerId = g.Key, At = g.Min(c => c.At) });
        var keyAtStartChanged = await (
            from first in firstSince
            join change in changes on new { first.CustomerId, first.At } equals new { change.CustomerId, change.At }
            where change.FromTier != null && keys.Contains(change.FromTier)
            select change.CustomerId).Distinct().CountAsync(cancellationToken);
        var keyAtStartUnchanged = await customers.CountAsync(c => c.Tier != null && keys.Contains(c.Tier) && !db.TierChanges.Any(t => t.CustomerId == c.Id && t.At >= since), cancellationToken);
        var all = await customers.CountAsync(cancellationToken);

        // Within the period: where each changed customer started and where it ended.
        var inPeriod = changes.Where(c => c.At >= since && c.At < until);
        var bounds = inPeriod.GroupBy(c => c.CustomerId).Select(g => new { CustomerId = g.Key, First = g.Min(c => c.At), Last = g.Max(c => c.At) });
        var sources = await (
            from b in bounds
            join first in inPeriod on new { b.CustomerId, At = b.First } equals new { first.CustomerId, first.At }
            join last in inPeriod on new { b.CustomerId, At = b.Last } equals new { last.CustomerId, last.At }
            where (first.FromTier == null || !keys.Contains(first.FromTier)) && last.ToTier != null && keys.Contains(last.ToTier)
            group b.CustomerId by first.FromTier into g
            select new { From = g.Key, Customers = g.Count() })
            .ToListAsync(cancellationToken);

        var from = sources.Select(s => new KeyConversionSource(s.From, s.Customers))
            .OrderByDescending(s => s.Customers).ThenBy(s => s.FromTier, StringComparer.Ordinal).ToList();
        return new KeyConversion(all - keyAtStartChanged - keyAtStartUnchanged, from.Sum(s => s.Customers), from);
    }
}
