using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tiering;

public sealed record TierMovement(string? From, string? To, int Customers);

/// <summary>The tier dashboard's figures (SPEC E3), within the caller's scope; each distribution comes from the same filter as the customer list, so the counts agree.</summary>
public sealed record TierDashboardData(
    int Total,
    IReadOnlyDictionary<CustomerDimension, IReadOnlyDictionary<string, int>> Distributions,
    IReadOnlyList<TierMovement> MovementsThisMonth);

public sealed class TierDashboard(IDbContextFactory<CrmDbContext> dbFactory, CustomerQueries customers, ICurrentUser currentUser, Permissions permissions, CompanyClock clock, SharedReads sharedReads)
{
    /// <summary>
    /// The figures. With <paramref name="afterEvent"/> (a dashboard answering a live event: every customer saved anywhere is
    /// one), the dashboards of the same scope and filter answering the same event share one read (<see cref="SharedReads"/>).
    /// </summary>
    public async Task<TierDashboardData> LoadAsync(CustomerFilter filter, Guid? afterEvent = null, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tiering, Operation.View);
        return await sharedReads.ReadAsync(afterEvent, currentUser, ("tier-dashboard", filter, clock.StartOfMonthUtc), ct => ReadAsync(filter, ct), cancellationToken);
    }

    private async Task<TierDashboardData> ReadAsync(CustomerFilter filter, CancellationToken cancellationToken)
    {
        // The six queries are independent, each on its own context: run them side by side.
        var counting = Enum.GetValues<CustomerDimension>().ToDictionary(d => d, d => customers.CountByAsync(filter, d, cancellationToken));
        var moving = MovementsAsync(cancellationToken);
        await Task.WhenAll([.. counting.Values, moving]);
        var distributions = counting.ToDictionary(c => c.Key, c => c.Value.Result);
        return new TierDashboardData(distributions[CustomerDimension.Tier].Values.Sum(), distributions, moving.Result);
    }

    private async Task<IReadOnlyList<TierMovement>> MovementsAsync(CancellationToken cancellationToken)
    {
        var monthStart = clock.StartOfMonthUtc;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // From the customers in scope to their changes (index on CustomerId, At); for users who see everyone,
        // straight from the changes of the month (index on At), without touching the customers.
        var changes = RecordScope.SeesEveryone(currentUser)
            ? db.TierChanges.Where(c => c.At >= monthStart)
            : from customer in db.Customers.VisibleTo(currentUser)
              join change in db.TierChanges on customer.Id equals change.CustomerId
              where change.At >= monthStart
              select change;
        var movements = await changes.Where(c => c.FromTier != c.ToTier)
            .GroupBy(c => new { c.FromTier, c.ToTier }).Select(g => new { g.Key.FromTier, g.Key.ToTier, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return movements.Select(m => new TierMovement(m.FromTier, m.ToTier, m.Count)).OrderByDescending(m => m.Customers).ToList();
    }
}
