using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Dictionaries;

/// <summary>
/// Where records store each kind's codes: the one in-use check behind "an item in use is deactivated, never
/// deleted" (SPEC B4). Every <see cref="DictionaryKind"/> has a row (a test enumerates them), so a new kind, or a
/// new column holding codes, is added here and not forgotten.
/// </summary>
internal static class DictionaryUsage
{
    public delegate Task<bool> InUseCheck(CrmDbContext db, string code, CancellationToken cancellationToken);

    public static IReadOnlyDictionary<DictionaryKind, InUseCheck> Checks { get; } = new Dictionary<DictionaryKind, InUseCheck>
    {
        [DictionaryKind.Industry] = (db, code, ct) => db.Customers.AnyAsync(c => c.Industry == code, ct),
        [DictionaryKind.CompanySize] = (db, code, ct) => db.Customers.AnyAsync(c => c.Size == code, ct),
        // A status also labels the lifecycle history on the timeline.
        [DictionaryKind.CustomerStatus] = async (db, code, ct) => await db.Customers.AnyAsync(c => c.Status == code, ct)
            || await db.CustomerStatusChanges.AnyAsync(s => s.FromStatus == code || s.ToStatus == code, ct),
        [DictionaryKind.Region] = async (db, code, ct) => await db.Customers.AnyAsync(c => c.Province == code, ct)
            || await db.Leads.AnyAsync(l => l.Region == code, ct),
        [DictionaryKind.InteractionType] = (db, code, ct) => db.Interactions.AnyAsync(i => i.Type == code, ct),
        [DictionaryKind.DemandType] = (db, code, ct) => db.Demands.AnyAsync(d => d.Type == code, ct),
        // A category also routes tickets to its support group.
        [DictionaryKind.TicketCategory] = async (db, code, ct) => await db.Tickets.AnyAsync(t => t.Category == code, ct)
            || await db.SupportGroupCategories.AnyAsync(c => c.Category == code, ct),
        [DictionaryKind.LeadSource] = (db, code, ct) => db.Leads.AnyAsync(l => l.Source == code, ct),
        [DictionaryKind.LostReason] = (db, code, ct) => db.Opportunities.AnyAsync(o => o.LostReason == code, ct),
    };

    public static Task<bool> IsInUseAsync(CrmDbContext db, DictionaryItem item, CancellationToken cancellationToken) =>
        Checks.TryGetValue(item.Kind, out var check)
            ? check(db, item.Code, cancellationToken)
            : throw new InvalidOperationException($"No in-use check for dictionary kind {item.Kind}: add one to {nameof(DictionaryUsage)}.");

}
