using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Customers;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(c => c.Number).HasMaxLength(32);
        builder.HasIndex(c => c.Number).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.HasIndex(c => c.Name);
        builder.Property(c => c.Industry).HasMaxLength(64);
        builder.Property(c => c.Region).HasMaxLength(64);
        builder.Property(c => c.Status).HasMaxLength(32);
        builder.HasIndex(c => c.Status);
        builder.Property(c => c.Notes).HasMaxLength(4000);
        builder.HasIndex(c => c.OwnerId);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne(c => c.Owner).WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Contacts).WithOne().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.HasIndex(c => c.Name);
        builder.Property(c => c.Title).HasMaxLength(100);
        builder.Property(c => c.Mobile).HasMaxLength(32);
        builder.HasIndex(c => c.Mobile);
        builder.Property(c => c.Email).HasMaxLength(200);
        builder.HasIndex(c => c.Email);
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}
