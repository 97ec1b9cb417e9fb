using CrmBlazor.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Customers;

/// <summary>A user's named set of list filters and sort (SPEC B6 "saved views per user").</summary>
public sealed class SavedView : Entity
{
    public Guid UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>The <see cref="CustomerFilter"/> as JSON.</summary>
    public required string FilterJson { get; set; }

    public DateTime CreatedAt { get; set; }
}

internal sealed class SavedViewConfiguration : IEntityTypeConfiguration<SavedView>
{
    public void Configure(EntityTypeBuilder<SavedView> builder)
    {
        builder.Property(v => v.Name).HasMaxLength(100);
        builder.HasIndex(v => new { v.UserId, v.Name }).IsUnique();
    }
}
