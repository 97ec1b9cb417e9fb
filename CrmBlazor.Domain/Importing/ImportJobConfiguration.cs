using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Importing;

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> builder)
    {
        builder.Property(j => j.FileName).HasMaxLength(260);
        builder.Property(j => j.RequestedByName).HasMaxLength(100);
        builder.Property(j => j.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(j => j.SkippedReasons).HasMaxLength(4000);
        builder.Property(j => j.Failure).HasMaxLength(1000);
        builder.Property(j => j.ColumnMap).HasMaxLength(16000);
        builder.Property(j => j.ValueMap).HasMaxLength(64000);
        builder.Property(j => j.HeaderRow).HasDefaultValue(1);
        builder.Property(j => j.Version).IsConcurrencyToken();
        builder.Ignore(j => j.ValidRows);
        builder.HasIndex(j => new { j.RequestedById, j.CreatedAt });
    }
}
