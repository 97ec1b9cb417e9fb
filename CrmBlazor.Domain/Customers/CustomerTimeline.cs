using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>
/// One line of the 360 timeline. <see cref="Kind"/> tells the page how to show it; <see cref="Values"/>
/// are that kind's facts (codes, numbers), localized by the page; <see cref="Detail"/> is free text.
/// </summary>
public sealed record TimelineEntry(DateTime At, string Kind, string? Actor, IReadOnlyList<string> Values, string? Detail = null);

/// <summary>
/// A feature that puts entries on a customer's timeline. Each feature registers its own source
/// (interactions, demands, tickets, orders…); the 360 page merges them by time, unchanged.
/// </summary>
public interface ITimelineSource
{
    Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken);
}

/// <summary>When the customer entered the archive, and every status change with its reason (SPEC B3).</summary>
public sealed class LifecycleTimelineSource : ITimelineSource
{
    public const string Created = "created";
    public const string StatusChanged = "status";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var changes = await db.CustomerStatusChanges.AsNoTracking()
            .Where(s => s.CustomerId == customer.Id)
            .OrderByDescending(s => s.At)
            .Take(200)
            .ToListAsync(cancellationToken);
        var entries = changes.Select(s => new TimelineEntry(s.At, StatusChanged, s.ByName, [s.FromStatus, s.ToStatus], s.Reason)).ToList();
        entries.Add(new TimelineEntry(customer.CreatedAt, Created, null, [customer.Number]));
        return entries;
    }
}
