using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Tiering;

namespace CrmBlazor.Tests.Tiering;

/// <summary>SPEC E1: the default rules on their boundaries.</summary>
public sealed class TierRuleTests
{
    private static readonly DateTime Now = new(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc);

    // annual amount, years, renewal rate (null: one order or none), influence, months since the last demand (null: none), expected tier
    [Theory]
    [InlineData("500000", 2, null, false, null, "S")]
    [InlineData("500000.00", 5, "0.5", false, null, "S")]
    [InlineData("499999.99", 2, null, false, null, "A")]
    [InlineData("500000", 1, null, false, null, "A")] // big but young: A, not S
    [InlineData("0", 2, null, true, null, "S")] // top-10 influence with two years
    [InlineData("0", 1, null, true, null, "C")] // influence alone is not enough
    [InlineData("200000", 0, null, false, null, "A")]
    [InlineData("199999.99", 0, null, false, null, "B")]
    [InlineData("10000", 1, "0.8", false, null, "A")] // renewal exactly 80% after a year
    [InlineData("10000", 1, "0.7999", false, null, "C")]
    [InlineData("10000", 0, "1", false, null, "C")] // renewals, but not a year yet
    [InlineData("50000", 0, null, false, null, "B")]
    [InlineData("49999.99", 0, null, false, null, "C")]
    [InlineData("0", 0, null, false, 5, "B")] // a new demand within six months
    [InlineData("0", 0, null, false, 7, "C")]
    public void The_default_rules_place_customers_on_the_right_side_of_every_boundary(string annual, int years, string? renewal, bool influence, int? monthsSinceDemand, string expected)
    {
        var rules = new TierRuleSet(TierRule.Defaults());
        var figures = new TierFigures(decimal.Parse(annual, System.Globalization.CultureInfo.InvariantCulture), years,
            renewal is null ? null : decimal.Parse(renewal, System.Globalization.CultureInfo.InvariantCulture), influence,
            monthsSinceDemand is { } m ? Now.AddMonths(-m) : null);

        var (tier, reason) = rules.Evaluate(figures, Now)!.Value;

        Assert.Equal(expected, tier);
        // A rule's matching clause; the catch-all (C, without clauses) the key the reader's language words.
        if (expected == "C")
        {
            Assert.Equal(SystemReasons.Of(SystemReasons.RuleOtherwise, "C"), reason);
        }
        else
        {
            Assert.StartsWith($"{expected}: ", reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_rule_names_the_clause_that_matched()
    {
        var rules = new TierRuleSet(TierRule.Defaults());

        var (_, reason) = rules.Evaluate(new TierFigures(0, 3, null, true, null), Now)!.Value;

        Assert.Equal("S: years ≥ 2; influence", reason);
    }
}
