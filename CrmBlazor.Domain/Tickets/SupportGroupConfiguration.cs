using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tickets;

internal sealed class SupportGroupConfiguration : IEntityTypeConfiguration<SupportGroup>
{
    public void Configure(EntityTypeBuilder<SupportGroup> builder)
    {
        builder.Property(g => g.Name).HasMaxLength(100);
        builder.HasIndex(g => g.Name).IsUnique();
        builder.Property(g => g.Strategy).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.Version).IsConcurrencyToken();
        builder.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(g => g.Categories).WithOne().HasForeignKey(c => c.GroupId).OnDelete(DeleteBehavior.Cascade);
    }
}
