using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tiering;

internal sealed class TierRuleConfiguration : IEntityTypeConfiguration<TierRule>
{
    public void Configure(EntityTypeBuilder<TierRule> builder)
    {
        builder.Property(r => r.Tier).HasMaxLength(8);
        builder.HasIndex(r => r.Tier).IsUnique();
        builder.Property(r => r.Name).HasMaxLength(50);
        builder.Property(r => r.Clauses).HasMaxLength(4000);
    }
}

internal sealed class TierSettingsConfiguration : IEntityTypeConfiguration<TierSettings>
{
    public void Configure(EntityTypeBuilder<TierSettings> builder) => builder.Property(s => s.Id).ValueGeneratedNever();
}
