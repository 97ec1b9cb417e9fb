using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Customers;

internal sealed class CustomerAliasConfiguration : IEntityTypeConfiguration<CustomerAlias>
{
    public void Configure(EntityTypeBuilder<CustomerAlias> builder)
    {
        builder.HasKey(a => a.Number);
        builder.Property(a => a.Number).HasMaxLength(32);
        builder.Property(a => a.MergedName).HasMaxLength(200);
        builder.HasIndex(a => a.CustomerId);
        builder.HasIndex(a => a.MergedId);
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
