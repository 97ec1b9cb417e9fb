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
        // No foreign key to Customers (docs/decisions/0030): the keys are derived from the customer and written ~19 a
        // customer by an import, where PostgreSQL's per-row check cost a quarter of the write. Whoever deletes a customer
        // deletes its keys in the same transaction (CustomerSearch.DeleteKeysAsync).
    }
}
