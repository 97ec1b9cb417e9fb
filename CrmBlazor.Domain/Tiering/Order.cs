using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tiering;

/// <summary>A signed order or contract of a customer (SPEC F3, the part tiering needs): its amounts feed the tier figures.</summary>
public sealed class Order : AuditableEntity
{
    public Guid CustomerId { get; set; }

    /// <summary>The contract or order number as the business writes it; unique.</summary>
    public required string Number { get; set; }

    public DateOnly SignedOn { get; set; }

    /// <summary>In fen (CNY cents): whole numbers sum alike on every provider, SQLite included.</summary>
    public long AmountFen { get; set; }

    /// <summary>In CNY.</summary>
    public decimal Amount
    {
        get => AmountFen / 100m;
        set => AmountFen = (long)Math.Round(value * 100m, MidpointRounding.AwayFromZero);
    }

    /// <summary>Products or services, free text.</summary>
    public string? Product { get; set; }

    /// <summary>A renewal of an earlier contract.</summary>
    public bool IsRenewal { get; set; }

    /// <summary>The opportunity whose accepted quote made this order (SPEC F3); unique, so a deal becomes one order. Null for orders entered by hand.</summary>
    public Guid? OpportunityId { get; set; }

    /// <summary>The accepted quote this order was made from.</summary>
    public Guid? QuoteId { get; set; }

    /// <summary>What was ordered, copied from the accepted quote's lines (empty for orders entered by hand).</summary>
    public List<OrderLine> Lines { get; set; } = [];
}

/// <summary>One tier change of a customer (SPEC E1): before, after, why (the rule or the override reason) and the figures then.</summary>
public sealed class TierChange : Entity
{
    public Guid CustomerId { get; set; }
    public string? FromTier { get; set; }
    public string? ToTier { get; set; }

    /// <summary>The rule that matched (its tier and clause, in words), or the override's reason.</summary>
    public required string Reason { get; set; }

    public bool IsOverride { get; set; }
    public decimal AnnualAmount { get; set; }
    public int Years { get; set; }
    public decimal? RenewalRate { get; set; }
    public bool Influence { get; set; }
    public DateTime? LastDemandAt { get; set; }
    public DateTime At { get; set; }
    public string? ByName { get; set; }
}

/// <summary>The claim of one monthly evaluation: its unique month key lets one instance of many run it (J3).</summary>
public sealed class TierEvaluationRun
{
    public required string Month { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public int Changed { get; set; }
}
