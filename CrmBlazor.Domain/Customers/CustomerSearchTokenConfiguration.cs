using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Customers;

internal sealed class CustomerSearchTokenConfiguration : IEntityTypeConfiguration<CustomerSearchToken>
{
    public void Configure(EntityTypeBuilder<CustomerSearchToken> builder)
    {
        builder.HasKey(t => new { t.CustomerId, t.Kind, t.Token });
        builder.Property(t => t.Kind).HasMaxLength(1);
        builder.Property(t => t.Token).HasMaxLength(200);
        builder.HasIndex(t => new { t.Kind, t.Token, t.CustomerId });
        builder.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
