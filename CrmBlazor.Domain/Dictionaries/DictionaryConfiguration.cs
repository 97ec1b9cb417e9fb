using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Dictionaries;

internal sealed class DictionaryConfiguration : IEntityTypeConfiguration<DictionaryItem>
{
    public void Configure(EntityTypeBuilder<DictionaryItem> builder)
    {
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(d => d.Code).HasMaxLength(64);
        builder.Property(d => d.LabelZh).HasMaxLength(100);
        builder.Property(d => d.LabelEn).HasMaxLength(100);
        builder.HasIndex(d => new { d.Kind, d.Code }).IsUnique();
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}
