using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// Opportunities on the customer's 360 timeline (SPEC B7): opened (number, name), won (number, name) and lost (number,
/// name, the LostReason code), by whom. The history rows travel with their opportunity, so a merge brings them along.
/// </summary>
public sealed class OpportunityTimelineSource : ITimelineSource
{
    public const string Created = "opportunity-created";
    public const string Won = "opportunity-won";
    public const string Lost = "opportunity-lost";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var opportunities = await db.Opportunities.AsNoTracking().Where(o => o.CustomerId == customer.Id).OrderByDescending(o => o.CreatedAt).Take(100)
            .Select(o => new { o.Id, o.Number, o.Name, o.LostReason }).ToListAsync(cancellationToken);
        var ids = opportunities.Select(o => o.Id).ToList();
        var changes = await db.OpportunityStageChanges.AsNoTracking()
            .Where(c => ids.Contains(c.OpportunityId) && (c.FromStage == null || c.ToStage == OpportunityStage.Won || c.ToStage == OpportunityStage.Lost))
            .Select(c => new { c.OpportunityId, c.FromStage, c.ToStage, c.At, c.ByName }).ToListAsync(cancellationToken);
        var byId = opportunities.ToDictionary(o => o.Id);
        return changes.Select(c =>
        {
            var o = byId[c.OpportunityId];
            return c switch
            {
                { FromStage: null } => new TimelineEntry(c.At, Created, c.ByName, [o.Number, o.Name]),
                { ToStage: OpportunityStage.Won } => new TimelineEntry(c.At, Won, c.ByName, [o.Number, o.Name]),
                _ => new TimelineEntry(c.At, Lost, c.ByName, [o.Number, o.Name, o.LostReason ?? ""]),
            };
        }).ToList();
    }
}
