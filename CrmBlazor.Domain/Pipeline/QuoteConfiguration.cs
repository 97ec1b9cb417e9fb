using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Pipeline;

internal sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> builder)
    {
        builder.Property(q => q.Number).HasMaxLength(16);
        builder.HasIndex(q => new { q.Number, q.Revision }).IsUnique();
        // One revision series per opportunity: two users adding v3 at once meet this index.
        builder.HasIndex(q => new { q.OpportunityId, q.Revision }).IsUnique();
        builder.Property(q => q.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(q => q.Version).IsConcurrencyToken();
        builder.Ignore(q => q.DisplayNumber);
        builder.HasOne<Opportunity>().WithMany().HasForeignKey(q => q.OpportunityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(q => q.Lines).WithOne().HasForeignKey(l => l.QuoteId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QuoteLineConfiguration : IEntityTypeConfiguration<QuoteLine>
{
    public void Configure(EntityTypeBuilder<QuoteLine> builder)
    {
        builder.Property(l => l.ProductCode).HasMaxLength(ProductService.CodeMaxLength);
        builder.Property(l => l.ProductName).HasMaxLength(ProductService.NameMaxLength);
        builder.Property(l => l.Unit).HasMaxLength(ProductService.UnitMaxLength);
        builder.Property(l => l.Quantity).HasPrecision(18, 2);
        builder.Property(l => l.DiscountPercent).HasPrecision(5, 2);
        builder.HasIndex(l => new { l.QuoteId, l.Position });
        // A product in use stays: deactivate it instead.
        builder.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
