using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tiering;

public sealed record TierMovement(string? From, string? To, int Customers);

/// <summary>The tier dashboard's figures (SPEC E3), within the caller's scope; each distribution comes from the same filter as the customer list, so the counts agree.</summary>
public sealed record TierDashboardData(
    int Total,
    IReadOnlyDictionary<CustomerDimension, IReadOnlyDictionary<string, int>> Distributions,
    IReadOnlyList<TierMovement> MovementsThisMonth);

public sealed class TierDashboard(IDbContextFactory<CrmDbContext> dbFactory, CustomerQueries customers, ICurrentUser currentUser, Permissions permissions, TimeProvider time)
{
    public async Task<TierDashboardData> LoadAsync(CustomerFilter filter, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tiering, Operation.View);
        var distributions = new Dictionary<CustomerDimension, IReadOnlyDictionary<string, int>>();
        foreach (var dimension in Enum.GetValues<CustomerDimension>())
        {
            distributions[dimension] = await customers.CountByAsync(filter, dimension, cancellationToken);
        }
        var local = time.GetLocalNow();
        var monthStart = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, local.Offset).UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Customers.VisibleTo(currentUser);
        var movements = await db.TierChanges.Where(c => c.At >= monthStart && c.FromTier != c.ToTier && visible.Any(v => v.Id == c.CustomerId))
            .GroupBy(c => new { c.FromTier, c.ToTier }).Select(g => new { g.Key.FromTier, g.Key.ToTier, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return new TierDashboardData(distributions[CustomerDimension.Tier].Values.Sum(), distributions,
            movements.Select(m => new TierMovement(m.FromTier, m.ToTier, m.Count)).OrderByDescending(m => m.Customers).ToList());
    }
}
