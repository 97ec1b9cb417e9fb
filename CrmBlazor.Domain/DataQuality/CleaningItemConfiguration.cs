using CrmBlazor.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.DataQuality;

internal sealed class CleaningItemConfiguration : IEntityTypeConfiguration<CleaningItem>
{
    public void Configure(EntityTypeBuilder<CleaningItem> builder)
    {
        builder.Property(i => i.OpenedMonth).HasMaxLength(7);
        builder.Property(i => i.DoneByName).HasMaxLength(100);
        // "Has this customer an open line?" when a month opens, and the list by customer.
        builder.HasIndex(i => new { i.CustomerId, i.DoneAt });
        builder.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
