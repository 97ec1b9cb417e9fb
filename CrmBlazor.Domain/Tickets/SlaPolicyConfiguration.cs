using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tickets;

internal sealed class SlaPolicyConfiguration : IEntityTypeConfiguration<SlaPolicy>
{
    public void Configure(EntityTypeBuilder<SlaPolicy> builder)
    {
        builder.Property(p => p.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Tier).HasMaxLength(8);
        builder.Property(p => p.Mode).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => new { p.Severity, p.Tier }).IsUnique();
    }
}
