using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tiering;

internal sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        builder.Property(l => l.ProductCode).HasMaxLength(Pipeline.ProductService.CodeMaxLength);
        builder.Property(l => l.ProductName).HasMaxLength(Pipeline.ProductService.NameMaxLength);
        builder.Property(l => l.Unit).HasMaxLength(Pipeline.ProductService.UnitMaxLength);
        builder.Property(l => l.Quantity).HasPrecision(18, 2);
        builder.Property(l => l.DiscountPercent).HasPrecision(5, 2);
        builder.HasIndex(l => new { l.OrderId, l.Position });
    }
}
