using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.DataQuality;

internal sealed class QualityMonthConfiguration : IEntityTypeConfiguration<QualityMonth>
{
    public void Configure(EntityTypeBuilder<QualityMonth> builder)
    {
        builder.HasKey(m => m.Month);
        builder.Property(m => m.Month).HasMaxLength(7);
    }
}
