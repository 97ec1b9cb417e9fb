using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Reports;

public sealed record InteractionsPerRep(string Rep, int Interactions, int Customers, DateTime? Last);

public sealed record SlaCompliance(string Owner, int Demands, int InTime, int Late, int OpenBreached, int OpenWithinDeadline)
{
    /// <summary>Answered in time among those whose deadline has been decided (answered, or passed unanswered); null when none yet.</summary>
    public decimal? Rate => InTime + Late + OpenBreached == 0 ? null : (decimal)InTime / (InTime + Late + OpenBreached);
}

public sealed record Completeness(string Owner, int Customers, int WithIndustry, int WithSize, int WithRegion, int WithWebsite, int WithKeyMobile, int WithKeyEmail)
{
    /// <summary>Share of the six key fields filled, over all customers.</summary>
    public decimal Rate => Customers == 0 ? 0 : (decimal)(WithIndustry + WithSize + WithRegion + WithWebsite + WithKeyMobile + WithKeyEmail) / (Customers * 6);
}

/// <summary>
/// The first reports (SPEC E4) over any date range, within the caller's record scope: interactions per
/// rep, demand response SLA compliance per owner, data completeness per owner. Each ends with a total row.
/// </summary>
public sealed class ReportQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, TimeProvider time)
{
    public const string Total = "Σ";

    /// <summary>Interactions logged from <paramref name="since"/> up to (not including) <paramref name="until"/>, per author.</summary>
    public async Task<IReadOnlyList<InteractionsPerRep>> InteractionsAsync(DateTime since, DateTime until, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Reports, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Customers.VisibleTo(currentUser);
        var inRange = db.Interactions.Where(i => i.At >= since && i.At < until && visible.Any(c => c.Id == i.CustomerId));
        var rows = await inRange.GroupBy(i => i.ByName)
            .Select(g => new InteractionsPerRep(g.Key, g.Count(), g.Select(i => i.CustomerId).Distinct().Count(), g.Max(i => (DateTime?)i.At)))
            .ToListAsync(cancellationToken);
        var total = new InteractionsPerRep(Total, rows.Sum(r => r.Interactions), await inRange.Select(i => i.CustomerId).Distinct().CountAsync(cancellationToken), rows.Max(r => r.Last));
        return [.. rows.OrderByDescending(r => r.Interactions).ThenBy(r => r.Rep, StringComparer.Ordinal), total];
    }

    /// <summary>Demands raised in the range, per owner: answered in time, answered late, still open past or within their deadline.</summary>
    public async Task<IReadOnlyList<SlaCompliance>> SlaAsync(DateTime since, DateTime until, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Reports, Operation.View);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Customers.VisibleTo(currentUser);
        var rows = await (
            from d in db.Demands
            join u in db.Users on d.OwnerId equals u.Id
            where d.CreatedAt >= since && d.CreatedAt < until && visible.Any(c => c.Id == d.CustomerId)
            group d by u.DisplayName into g
            select new SlaCompliance(g.Key, g.Count(),
                g.Count(d => d.RespondedAt != null && d.RespondedAt <= d.ResponseDueAt),
                g.Count(d => d.RespondedAt != null && d.RespondedAt > d.ResponseDueAt),
                g.Count(d => d.RespondedAt == null && d.ResponseDueAt <= now),
                g.Count(d => d.RespondedAt == null && d.ResponseDueAt > now)))
            .ToListAsync(cancellationToken);
        var total = new SlaCompliance(Total, rows.Sum(r => r.Demands), rows.Sum(r => r.InTime), rows.Sum(r => r.Late), rows.Sum(r => r.OpenBreached), rows.Sum(r => r.OpenWithinDeadline));
        return [.. rows.OrderBy(r => r.Owner, StringComparer.Ordinal), total];
    }

    /// <summary>How complete the customers' key data is today, per owner (the date range does not apply).</summary>
    public async Task<IReadOnlyList<Completeness>> CompletenessAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Reports, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Customers.VisibleTo(currentUser)
            .GroupBy(c => c.Owner == null ? "" : c.Owner.DisplayName)
            .Select(g => new Completeness(g.Key, g.Count(),
                g.Count(c => c.Industry != null),
                g.Count(c => c.Size != null),
                g.Count(c => c.Province != null),
                g.Count(c => c.Website != null),
                g.Count(c => c.Contacts.Any(k => k.IsKey && !k.HasLeft && k.Mobile != null)),
                g.Count(c => c.Contacts.Any(k => k.IsKey && !k.HasLeft && k.Email != null))))
            .ToListAsync(cancellationToken);
        var total = new Completeness(Total, rows.Sum(r => r.Customers), rows.Sum(r => r.WithIndustry), rows.Sum(r => r.WithSize), rows.Sum(r => r.WithRegion),
            rows.Sum(r => r.WithWebsite), rows.Sum(r => r.WithKeyMobile), rows.Sum(r => r.WithKeyEmail));
        return [.. rows.OrderBy(r => r.Owner, StringComparer.Ordinal), total];
    }
}
