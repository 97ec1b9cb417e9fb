using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Tags;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Customers;

/// <summary>Every column the list filters or sorts on has an index (ENGINEERING.md "Data").</summary>
internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.Property(c => c.Number).HasMaxLength(32);
        builder.HasIndex(c => c.Number).IsUnique();
        builder.HasIndex(c => c.NumberOrder);
        builder.Property(c => c.ExternalCode).HasMaxLength(64);
        builder.HasIndex(c => c.ExternalCode).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.HasIndex(c => c.Name);
        foreach (var code in new[] { nameof(Customer.Industry), nameof(Customer.Size), nameof(Customer.Status), nameof(Customer.Province), nameof(Customer.City), nameof(Customer.District) })
        {
            builder.Property(code).HasMaxLength(64);
        }
        builder.Property(c => c.Status).HasMaxLength(32);
        builder.Property(c => c.Tier).HasMaxLength(8);
        builder.Property(c => c.TierOverride).HasMaxLength(8);
        builder.Property(c => c.TierOverrideReason).HasMaxLength(500);
        builder.Property(c => c.Street).HasMaxLength(200);
        builder.Property(c => c.Website).HasMaxLength(200);
        builder.Property(c => c.CooperationHistory).HasMaxLength(4000);
        builder.Property(c => c.Notes).HasMaxLength(4000);
        builder.HasIndex(c => c.Industry);
        builder.HasIndex(c => c.Size);
        builder.HasIndex(c => c.Status);
        builder.HasIndex(c => c.Tier);
        builder.HasIndex(c => new { c.Province, c.City });
        builder.HasIndex(c => c.LastContactAt);
        builder.HasIndex(c => c.UpdatedAt);
        // The data-quality figures read only this index: problems × stale, counted per group (issue 18).
        builder.HasIndex(c => new { c.QualityProblems, c.UpdatedAt });
        // The list's common shapes, so that their counts read only the index and their pages come sorted:
        // a rep's own customers by number, and status (+ industry) by name (bench/README.md). Id last: a rep's record
        // scope as a subquery (the pipeline board's IN) then reads only this index.
        builder.HasIndex(c => new { c.OwnerId, c.NumberOrder, c.Id });
        builder.HasIndex(c => new { c.Status, c.Industry, c.Name });
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne(c => c.Owner).WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Contacts).WithOne().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Tags).WithOne().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.CustomValues).WithOne().HasForeignKey(v => v.CustomerId).OnDelete(DeleteBehavior.Cascade);
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
        builder.Property(c => c.Landline).HasMaxLength(32);
        builder.Property(c => c.Email).HasMaxLength(200);
        builder.HasIndex(c => c.Email);
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}

internal sealed class CustomerStatusChangeConfiguration : IEntityTypeConfiguration<CustomerStatusChange>
{
    public void Configure(EntityTypeBuilder<CustomerStatusChange> builder)
    {
        builder.Property(s => s.FromStatus).HasMaxLength(32);
        builder.Property(s => s.ToStatus).HasMaxLength(32);
        builder.Property(s => s.Reason).HasMaxLength(1000);
        builder.Property(s => s.ByName).HasMaxLength(100);
        builder.HasIndex(s => new { s.CustomerId, s.At });
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerTagConfiguration : IEntityTypeConfiguration<CustomerTag>
{
    public void Configure(EntityTypeBuilder<CustomerTag> builder)
    {
        builder.HasKey(t => new { t.CustomerId, t.TagId });
        builder.HasIndex(t => t.TagId);
        builder.HasOne(t => t.Tag).WithMany().HasForeignKey(t => t.TagId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TagConfiguration : IEntityTypeConfiguration<Tag>
{
    public void Configure(EntityTypeBuilder<Tag> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(50);
        builder.Property(t => t.Color).HasMaxLength(20);
        builder.HasIndex(t => new { t.GroupId, t.Name }).IsUnique();
        builder.Property(t => t.Version).IsConcurrencyToken();
    }
}

internal sealed class TagGroupConfiguration : IEntityTypeConfiguration<TagGroup>
{
    public void Configure(EntityTypeBuilder<TagGroup> builder)
    {
        builder.Property(g => g.Name).HasMaxLength(50);
        builder.HasIndex(g => g.Name).IsUnique();
        builder.HasMany(g => g.Tags).WithOne().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(g => g.Version).IsConcurrencyToken();
    }
}

internal sealed class CustomFieldDefinitionConfiguration : IEntityTypeConfiguration<CustomFieldDefinition>
{
    public void Configure(EntityTypeBuilder<CustomFieldDefinition> builder)
    {
        builder.Ignore(f => f.OptionList);
        builder.Property(f => f.LabelZh).HasMaxLength(100);
        builder.Property(f => f.LabelEn).HasMaxLength(100);
        builder.Property(f => f.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.Options).HasMaxLength(4000);
        builder.Property(f => f.Version).IsConcurrencyToken();
    }
}

internal sealed class CustomFieldValueConfiguration : IEntityTypeConfiguration<CustomFieldValue>
{
    public void Configure(EntityTypeBuilder<CustomFieldValue> builder)
    {
        builder.HasKey(v => new { v.CustomerId, v.FieldId });
        builder.Property(v => v.Text).HasMaxLength(1000);
        builder.Property(v => v.Number).HasPrecision(18, 4);
        builder.HasIndex(v => new { v.FieldId, v.Text });
        builder.HasIndex(v => new { v.FieldId, v.Number });
        builder.HasIndex(v => new { v.FieldId, v.Date });
        builder.HasOne<CustomFieldDefinition>().WithMany().HasForeignKey(v => v.FieldId).OnDelete(DeleteBehavior.Cascade);
    }
}
