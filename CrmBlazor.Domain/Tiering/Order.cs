using CrmBlazor.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.Property(o => o.Number).HasMaxLength(64);
        builder.HasIndex(o => o.Number).IsUnique();
        builder.Ignore(o => o.Amount);
        builder.Property(o => o.Product).HasMaxLength(500);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.HasIndex(o => new { o.CustomerId, o.SignedOn });
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Cascade);
        // References without a constraint: the opportunity and the quote cascade from the customer as the order does,
        // and SQL Server refuses a second cascade path; the unique index is what makes a deal one order.
        builder.HasIndex(o => o.OpportunityId).IsUnique();
        builder.HasIndex(o => o.QuoteId).IsUnique();
        builder.HasMany(o => o.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TierChangeConfiguration : IEntityTypeConfiguration<TierChange>
{
    public void Configure(EntityTypeBuilder<TierChange> builder)
    {
        builder.Property(c => c.FromTier).HasMaxLength(8);
        builder.Property(c => c.ToTier).HasMaxLength(8);
        builder.Property(c => c.Reason).HasMaxLength(500);
        builder.Property(c => c.AnnualAmount).HasPrecision(18, 2);
        builder.Property(c => c.RenewalRate).HasPrecision(5, 4);
        builder.Property(c => c.ByName).HasMaxLength(100);
        builder.HasIndex(c => new { c.CustomerId, c.At });
        builder.HasIndex(c => new { c.At, c.FromTier, c.ToTier }); // covers the dashboard's movements of the month
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TierEvaluationRunConfiguration : IEntityTypeConfiguration<TierEvaluationRun>
{
    public void Configure(EntityTypeBuilder<TierEvaluationRun> builder)
    {
        builder.HasKey(r => r.Month);
        builder.Property(r => r.Month).HasMaxLength(7);
    }
}
