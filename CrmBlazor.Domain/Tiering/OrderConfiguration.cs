using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tiering;

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
