using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tiering;

/// <summary>How many customers each tier would hold under a rule set.</summary>
public sealed record TierPreview(IReadOnlyDictionary<string, int> Counts, int Changing);

/// <summary>
/// Tiering (SPEC E1): the figures of every customer in a few grouped queries, the ordered rules applied
/// to them, and only the customers whose tier moves written, each with a history row naming the rule
/// and the figures. An override with a reason pins a customer's tier until it is cleared.
/// </summary>
public sealed class TierService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, ILiveEvents liveEvents, CompanyClock clock)
{
    private const int Batch = 500;

    public async Task<IReadOnlyList<TierRule>> RulesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.TierRules.AsNoTracking().OrderBy(r => r.Order).ToListAsync(cancellationToken);
        return rules.Count > 0 ? rules : TierRule.Defaults();
    }

    /// <summary>Replaces the rule set (Admin). The last tier must take everyone left, so every customer gets a tier.</summary>
    public async Task SaveRulesAsync(IReadOnlyList<TierRule> rules, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        Validate(rules);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.TierRules.RemoveRange(await db.TierRules.ToListAsync(cancellationToken));
        db.TierRules.AddRange(rules.Select((r, i) => new TierRule { Tier = r.Tier.Trim().ToUpperInvariant(), Name = r.Name.Trim(), Order = i, Clauses = r.Clauses }));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The tag that marks top-10 industry influence, if one is chosen.</summary>
    public async Task<Guid?> InfluenceTagAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TierSettings.Select(s => s.InfluenceTagId).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task SetInfluenceTagAsync(Guid? tagId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await db.TierSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new TierSettings();
            db.TierSettings.Add(settings);
        }
        settings.InfluenceTagId = tagId;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What <paramref name="rules"/> would make of today's customers, before anyone saves them.</summary>
    public async Task<TierPreview> PreviewAsync(IReadOnlyList<TierRule> rules, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tiering, Operation.View);
        Validate(rules);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = new TierRuleSet(rules);
        var counts = rules.ToDictionary(r => r.Tier, _ => 0);
        var changing = 0;
        await foreach (var (_, current, pinned, outcome) in EvaluateAsync(db, set, cancellationToken))
        {
            var tier = pinned ?? outcome?.Tier;
            if (tier is not null)
            {
                counts[tier] = counts.GetValueOrDefault(tier) + 1;
            }
            changing += tier != current ? 1 : 0;
        }
        return new TierPreview(counts, changing);
    }

    /// <summary>Evaluates every customer now (on demand, or the monthly run); returns how many changed tier.</summary>
    public Task<int> EvaluateAllAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tiering, Operation.Edit);
        return RunEvaluationAsync(currentUser.UserId, currentUser.DisplayName, cancellationToken);
    }

    /// <summary>
    /// The evaluation itself, for a user allowed to ask for it or for the monthly job (<paramref name="byName"/> goes
    /// into the history). Streams: customers are read once, and every <see cref="Batch"/> changed tiers are written
    /// through a second context while the read goes on, so memory stays flat however many customers there are.
    /// Each batch tells open customer pages which customers moved (<see cref="CustomersChanged"/>); the last one tells
    /// dashboards once (<see cref="TiersChanged"/>). <paramref name="byId"/> is null for the monthly job.
    /// </summary>
    internal async Task<int> RunEvaluationAsync(Guid? byId, string byName, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = new TierRuleSet(await RulesAsync(cancellationToken));
        var now = clock.UtcNow;
        var batch = new List<TierChange>(Batch);
        var changed = 0;
        await foreach (var (customerId, current, pinned, outcome) in EvaluateAsync(db, set, cancellationToken))
        {
            if (pinned is null && outcome is { } o && o.Tier != current)
            {
                batch.Add(new TierChange
                {
                    CustomerId = customerId, FromTier = current, ToTier = o.Tier, Reason = o.Reason, At = now, ByName = byName,
                    AnnualAmount = o.Figures.AnnualAmount, Years = o.Figures.Years, RenewalRate = o.Figures.RenewalRate,
                    Influence = o.Figures.Influence, LastDemandAt = o.Figures.LastDemandAt,
                });
                if (batch.Count == Batch)
                {
                    changed += await WriteAsync(batch, byId, byName, null, cancellationToken);
                }
            }
        }
        changed += await WriteAsync(batch, byId, byName, changed, cancellationToken);
        return changed;
    }

    /// <summary>
    /// Writes one batch of tier changes (the new tiers and their history) in one transaction with the live event naming
    /// the customers it moved, then empties it. With <paramref name="announceAfter"/> (the changes written before, on the
    /// last batch) the same transaction also records the dashboards' <see cref="TiersChanged"/> when anything moved.
    /// </summary>
    private async Task<int> WriteAsync(List<TierChange> batch, Guid? byId, string byName, int? announceAfter, CancellationToken cancellationToken)
    {
        if (batch.Count == 0 && announceAfter is not > 0)
        {
            return 0;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Only customers still as they were read: an override set meanwhile, or another evaluation that got
        // there first, wins; their rows are neither changed nor given a second history row.
        var written = new List<TierChange>();
        foreach (var group in batch.GroupBy(c => (c.FromTier, c.ToTier)))
        {
            var ids = group.Select(c => c.CustomerId).ToList();
            var (from, to) = group.Key;
            var still = await db.Customers.Where(c => ids.Contains(c.Id) && c.Tier == from && c.TierOverride == null).Select(c => c.Id).ToListAsync(cancellationToken);
            await db.Customers.Where(c => still.Contains(c.Id) && c.Tier == from && c.TierOverride == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, to), cancellationToken);
            written.AddRange(group.Where(c => still.Contains(c.CustomerId)));
        }
        db.TierChanges.AddRange(written);
        if (written.Count > 0)
        {
            db.RecordLiveEvent(await CustomersChanged.OfAsync(db, written.Select(c => c.CustomerId).ToList(), byId, byName, cancellationToken));
        }
        if (announceAfter is { } before && before + written.Count > 0)
        {
            db.RecordLiveEvent(new TiersChanged(before + written.Count) { Audience = TiersChanged.Everyone });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, CancellationToken.None);
        batch.Clear();
        return written.Count;
    }

    /// <summary>The customer's tier changes, newest first (SPEC E1), for a user who may see the customer.</summary>
    public async Task<IReadOnlyList<TierChange>> HistoryAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tiering, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Customers.VisibleTo(currentUser).AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            throw await RecordScope.RefusalAsync(db.Customers, customerId, cancellationToken);
        }
        return await db.TierChanges.AsNoTracking().Where(c => c.CustomerId == customerId).OrderByDescending(c => c.At).Take(20).ToListAsync(cancellationToken);
    }

    /// <summary>Pins a customer's tier (a reason is required) or, with null, clears the pin; the history keeps both.</summary>
    public async Task SetOverrideAsync(Guid customerId, string? tier, string? reason, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tiering, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.VisibleTo(currentUser).SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken)
            ?? throw await RecordScope.RefusalAsync(db.Customers, customerId, cancellationToken);
        if (tier is not null)
        {
            var errors = new List<ValidationError>();
            if (string.IsNullOrWhiteSpace(reason))
            {
                errors.Add(new ValidationError("Reason", "Validation.OverrideReasonRequired", "Say why this customer's tier is set by hand."));
            }
            if (!(await RulesAsync(cancellationToken)).Any(r => r.Tier == tier))
            {
                errors.Add(new ValidationError("Tier", "Validation.TierUnknown", $"{tier} is not a tier.", tier));
            }
            ValidationFailedException.ThrowIfAny(errors);
        }
        db.TierChanges.Add(new TierChange
        {
            CustomerId = customerId, FromTier = customer.Tier, ToTier = tier ?? customer.Tier, IsOverride = true,
            Reason = tier is null ? SystemReasons.Of(SystemReasons.OverrideCleared) : reason!.Trim(), At = clock.UtcNow, ByName = currentUser.DisplayName,
        });
        customer.TierOverride = tier;
        customer.TierOverrideReason = tier is null ? null : reason!.Trim();
        if (tier is not null)
        {
            customer.Tier = tier;
        }
        var audience = await db.AudienceOfAsync(customer.OwnerId, cancellationToken);
        db.RecordLiveEvent(() => new CustomerChanged(customer.Id, customer.Version, currentUser.UserId, currentUser.DisplayName) { Audience = audience });
        db.RecordLiveEvent(new TiersChanged(1) { Audience = TiersChanged.Everyone });
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, CancellationToken.None);
        if (tier is null)
        {
            // Back to the rules at once, not at the next monthly run.
            var set = new TierRuleSet(await RulesAsync(cancellationToken));
            await foreach (var (id, current, _, outcome) in EvaluateAsync(db, set, cancellationToken, only: customerId))
            {
                if (outcome is { } o && o.Tier != current)
                {
                    await WriteAsync([new TierChange
                    {
                        CustomerId = id, FromTier = current, ToTier = o.Tier, Reason = o.Reason, At = clock.UtcNow, ByName = currentUser.DisplayName,
                        AnnualAmount = o.Figures.AnnualAmount, Years = o.Figures.Years, RenewalRate = o.Figures.RenewalRate,
                        Influence = o.Figures.Influence, LastDemandAt = o.Figures.LastDemandAt,
                    }], currentUser.UserId, currentUser.DisplayName, 0, cancellationToken);
                }
            }
        }
    }

    /// <summary>The figures and the tier the rules give, for every customer, read in a handful of grouped queries.</summary>
    private async IAsyncEnumerable<(Guid Id, string? Current, string? Pinned, (string Tier, string Reason, TierFigures Figures)? Outcome)> EvaluateAsync(
        CrmDbContext db, TierRuleSet set, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, Guid? only = null)
    {
        var now = clock.UtcNow;
        var today = clock.Today;
        var since = today.AddMonths(-12);
        var orders = await db.Orders.Where(o => only == null || o.CustomerId == only).GroupBy(o => o.CustomerId)
            .Select(g => new
            {
                CustomerId = g.Key,
                AnnualFen = g.Sum(o => o.SignedOn > since ? o.AmountFen : 0),
                First = g.Min(o => o.SignedOn),
                Count = g.Count(),
                Renewals = g.Count(o => o.IsRenewal),
            })
            .ToDictionaryAsync(x => x.CustomerId, cancellationToken);
        var influenceTag = await db.TierSettings.Select(s => s.InfluenceTagId).SingleOrDefaultAsync(cancellationToken);
        var influential = influenceTag is { } tagId
            ? (await db.CustomerTags.Where(t => t.TagId == tagId).Select(t => t.CustomerId).ToListAsync(cancellationToken)).ToHashSet()
            : [];
        var lastDemand = await db.Demands.Where(d => only == null || d.CustomerId == only).GroupBy(d => d.CustomerId).Select(g => new { g.Key, Last = g.Max(d => d.CreatedAt) })
            .ToDictionaryAsync(x => x.Key, x => x.Last, cancellationToken);

        await foreach (var customer in db.Customers.AsNoTracking().Where(c => only == null || c.Id == only).Select(c => new { c.Id, c.Tier, c.TierOverride }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var figures = orders.TryGetValue(customer.Id, out var o)
                ? new TierFigures(o.AnnualFen / 100m, WholeYears(o.First, today), o.Count > 1 ? (decimal)o.Renewals / (o.Count - 1) : null,
                    influential.Contains(customer.Id), lastDemand.TryGetValue(customer.Id, out var d) ? d : null)
                : new TierFigures(0, 0, null, influential.Contains(customer.Id), lastDemand.TryGetValue(customer.Id, out var d2) ? d2 : null);
            var outcome = set.Evaluate(figures, now);
            yield return (customer.Id, customer.Tier, customer.TierOverride, outcome is { } r ? (r.Tier, r.Reason, figures) : null);
        }
    }

    internal static int WholeYears(DateOnly first, DateOnly today)
    {
        var years = today.Year - first.Year;
        return first.AddYears(years) > today ? years - 1 : years;
    }

    private static void Validate(IReadOnlyList<TierRule> rules)
    {
        var errors = new List<ValidationError>();
        if (rules.Count == 0 || rules[^1].ParsedClauses().Count > 0)
        {
            errors.Add(new ValidationError("Rules", "Validation.TierCatchAll", "The last tier must take every customer left (no conditions)."));
        }
        if (rules.Any(r => string.IsNullOrWhiteSpace(r.Tier) || string.IsNullOrWhiteSpace(r.Name)))
        {
            errors.Add(new ValidationError("Rules", "Validation.TierNameRequired", "Every tier needs a code and a name."));
        }
        if (rules.Any(r => r.ParsedClauses().Any(c => c == new TierClause())))
        {
            errors.Add(new ValidationError("Rules", "Validation.TierClauseEmpty", "An alternative without any condition would take every customer: fill it in or remove it."));
        }
        if (rules.GroupBy(r => r.Tier.Trim().ToUpperInvariant()).Any(g => g.Count() > 1))
        {
            errors.Add(new ValidationError("Rules", "Validation.TierDuplicate", "Each tier code once."));
        }
        ValidationFailedException.ThrowIfAny(errors);
    }
}
