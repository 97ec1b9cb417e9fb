using CrmBlazor.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// Keeps <see cref="Opportunity.CustomerOwnerId"/> equal to the customer's owner on every save, whatever code path makes
/// the change: a deal added, a deal moved to another customer, a customer given to someone else (its edit page, an
/// import, a hand-over, a merge). Runs after the audit, so the copy is neither audited nor a new version of the deal.
/// A bulk <c>ExecuteUpdate</c> that moves deals bypasses it and sets the copy itself (<c>CustomerMerge</c>).
/// </summary>
internal sealed class CustomerOwnerFollower : SaveChangesInterceptor
{
    private const int Chunk = 500;

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            // Every await below completes synchronously when asked to: the sync save stays sync.
            FollowAsync(context, synchronously: true, CancellationToken.None).GetAwaiter().GetResult();
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            await FollowAsync(context, synchronously: false, cancellationToken);
        }
        return result;
    }

    private static async Task FollowAsync(DbContext context, bool synchronously, CancellationToken cancellationToken)
    {
        var tracker = context.ChangeTracker;
        tracker.DetectChanges();
        var reassigned = tracker.Entries<Customer>()
            .Where(e => e.State == EntityState.Modified && e.Property(c => c.OwnerId).IsModified && e.Property(c => c.OwnerId).OriginalValue != e.Entity.OwnerId)
            .Select(e => e.Entity.Id)
            .ToList();
        foreach (var chunk in reassigned.Chunk(Chunk))
        {
            // Loaded into the tracker (deals already tracked come back as themselves), to be set below.
            var deals = context.Set<Opportunity>().Where(o => chunk.Contains(o.CustomerId));
            _ = synchronously ? deals.ToList() : await deals.ToListAsync(cancellationToken);
        }
        if (reassigned.Count == 0 && !tracker.Entries<Opportunity>().Any(e => e.State is EntityState.Added or EntityState.Modified))
        {
            return;
        }

        var owners = tracker.Entries<Customer>().Where(e => e.State != EntityState.Deleted).ToDictionary(e => e.Entity.Id, e => e.Entity.OwnerId);
        var followers = tracker.Entries<Opportunity>()
            .Where(e => e.State == EntityState.Added || (e.State != EntityState.Deleted && (e.Property(o => o.CustomerId).IsModified || owners.ContainsKey(e.Entity.CustomerId))))
            .ToList();
        foreach (var chunk in followers.Select(e => e.Entity.CustomerId).Where(id => !owners.ContainsKey(id)).Distinct().Chunk(Chunk))
        {
            var query = context.Set<Customer>().Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.OwnerId });
            foreach (var customer in synchronously ? query.ToList() : await query.ToListAsync(cancellationToken))
            {
                owners[customer.Id] = customer.OwnerId;
            }
        }
        foreach (var deal in followers)
        {
            if (owners.TryGetValue(deal.Entity.CustomerId, out var owner) && deal.Entity.CustomerOwnerId != owner)
            {
                deal.Property(o => o.CustomerOwnerId).CurrentValue = owner;
            }
        }
    }
}
