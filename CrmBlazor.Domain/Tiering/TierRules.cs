using System.Globalization;
using System.Text.Json;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Domain.Tiering;

/// <summary>What tiering knows of one customer (SPEC E1).</summary>
/// <param name="AnnualAmount">Orders signed in the last 12 months, CNY.</param>
/// <param name="Years">Whole years since the first order.</param>
/// <param name="RenewalRate">Renewals among the orders after the first (0–1); null with a single order or none.</param>
/// <param name="Influence">Carries the influence tag (top-10 in its industry).</param>
/// <param name="LastDemandAt">When the customer last raised a demand.</param>
public sealed record TierFigures(decimal AnnualAmount, int Years, decimal? RenewalRate, bool Influence, DateTime? LastDemandAt);

/// <summary>
/// One way to reach a tier: every condition set here must hold. A tier's clauses are alternatives
/// ("≥ 500k with ≥ 2 years, or top-10 influence with ≥ 2 years"). Amount bounds: from inclusive, to exclusive.
/// </summary>
public sealed record TierClause
{
    public decimal? MinAnnualAmount { get; init; }
    public decimal? MaxAnnualAmount { get; init; }
    public int? MinYears { get; init; }
    public decimal? MinRenewalRate { get; init; }
    public bool Influence { get; init; }
    public int? NewDemandWithinMonths { get; init; }

    public bool Matches(TierFigures f, DateTime now) =>
        (MinAnnualAmount is not { } min || f.AnnualAmount >= min)
        && (MaxAnnualAmount is not { } max || f.AnnualAmount < max)
        && (MinYears is not { } years || f.Years >= years)
        && (MinRenewalRate is not { } rate || (f.RenewalRate ?? 0) >= rate)
        && (!Influence || f.Influence)
        && (NewDemandWithinMonths is not { } months || f.LastDemandAt >= now.AddMonths(-months));

    /// <summary>The clause in words for the history ("amount ≥ 500000; years ≥ 2"), language-neutral.</summary>
    public string Describe() => string.Join("; ", new[]
    {
        MinAnnualAmount is { } min ? $"amount ≥ {min.ToString("0.##", CultureInfo.InvariantCulture)}" : null,
        MaxAnnualAmount is { } max ? $"amount < {max.ToString("0.##", CultureInfo.InvariantCulture)}" : null,
        MinYears is { } y ? $"years ≥ {y}" : null,
        MinRenewalRate is { } r ? $"renewal ≥ {(r * 100).ToString("0.##", CultureInfo.InvariantCulture)}%" : null,
        Influence ? "influence" : null,
        NewDemandWithinMonths is { } m ? $"demand within {m} months" : null,
    }.Where(part => part is not null));
}

/// <summary>One tier of the ordered rule set (SPEC E1). The first tier whose clauses match wins; a tier without clauses takes everyone left.</summary>
public sealed class TierRule : Entity, IAudited
{
    /// <summary>The code stored on the customer: S, A, B, C…</summary>
    public required string Tier { get; set; }

    /// <summary>The name users see ("战略客户"); editable.</summary>
    public required string Name { get; set; }

    public int Order { get; set; }

    /// <summary>The alternatives, as JSON (<see cref="TierClause"/>[]).</summary>
    public string Clauses { get; set; } = "[]";

    public IReadOnlyList<TierClause> ParsedClauses() => JsonSerializer.Deserialize<List<TierClause>>(Clauses) ?? [];

    public static string Serialize(IEnumerable<TierClause> clauses) => JsonSerializer.Serialize(clauses.ToList());

    /// <summary>
    /// The defaults from the seeds: S ≥ 500k or top-10 influence, with ≥ 2 years; A 200–500k, or ≥ 1 year
    /// with renewal ≥ 80%; B 50–200k or a demand in 6 months; C the rest. The rules are ordered, so A's
    /// and B's upper bounds come from the tiers above them: a 600k customer of one year, not S for want
    /// of years, is A rather than falling through to C.
    /// </summary>
    public static IReadOnlyList<TierRule> Defaults() =>
    [
        new() { Tier = "S", Name = "战略客户", Order = 0, Clauses = Serialize([new() { MinAnnualAmount = 500_000, MinYears = 2 }, new() { Influence = true, MinYears = 2 }]) },
        new() { Tier = "A", Name = "重点客户", Order = 1, Clauses = Serialize([new() { MinAnnualAmount = 200_000 }, new() { MinYears = 1, MinRenewalRate = 0.8m }]) },
        new() { Tier = "B", Name = "潜力客户", Order = 2, Clauses = Serialize([new() { MinAnnualAmount = 50_000 }, new() { NewDemandWithinMonths = 6 }]) },
        new() { Tier = "C", Name = "普通客户", Order = 3 },
    ];
}

/// <summary>A rule set ready to evaluate: parsed once, applied to many customers.</summary>
public sealed class TierRuleSet
{
    private readonly IReadOnlyList<(TierRule Rule, IReadOnlyList<TierClause> Clauses)> _rules;

    public TierRuleSet(IEnumerable<TierRule> rules) =>
        _rules = rules.OrderBy(r => r.Order).Select(r => (r, r.ParsedClauses())).ToList();

    public IReadOnlyList<TierRule> Rules => _rules.Select(r => r.Rule).ToList();

    /// <summary>The tier these figures earn and why; null when no rule matches (a set without a catch-all).</summary>
    public (string Tier, string Reason)? Evaluate(TierFigures figures, DateTime now)
    {
        foreach (var (rule, clauses) in _rules)
        {
            if (clauses.Count == 0)
            {
                return (rule.Tier, SystemReasons.Of(SystemReasons.RuleOtherwise, rule.Tier));
            }
            var match = clauses.FirstOrDefault(c => c.Matches(figures, now));
            if (match is not null)
            {
                return (rule.Tier, $"{rule.Tier}: {match.Describe()}");
            }
        }
        return null;
    }
}

/// <summary>Which tag marks industry influence (top-10); one row.</summary>
public sealed class TierSettings : IAudited
{
    public int Id { get; set; } = 1;
    public Guid? InfluenceTagId { get; set; }
}
