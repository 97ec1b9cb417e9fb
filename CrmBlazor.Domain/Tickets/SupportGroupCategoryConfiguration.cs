using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tickets;

internal sealed class SupportGroupCategoryConfiguration : IEntityTypeConfiguration<SupportGroupCategory>
{
    public void Configure(EntityTypeBuilder<SupportGroupCategory> builder)
    {
        builder.Property(c => c.Category).HasMaxLength(64);
        builder.HasIndex(c => c.Category).IsUnique();
    }
}
