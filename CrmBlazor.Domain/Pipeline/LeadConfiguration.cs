using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Pipeline;

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.Property(l => l.Number).HasMaxLength(16);
        builder.HasIndex(l => l.Number).IsUnique();
        builder.Property(l => l.Source).HasMaxLength(64);
        builder.Property(l => l.Company).HasMaxLength(200);
        builder.Property(l => l.ContactName).HasMaxLength(100);
        builder.Property(l => l.Mobile).HasMaxLength(32);
        builder.Property(l => l.Email).HasMaxLength(200);
        builder.Property(l => l.Region).HasMaxLength(64);
        builder.Property(l => l.Notes).HasMaxLength(2000);
        builder.Property(l => l.DisqualifyReason).HasMaxLength(500);
        builder.Property(l => l.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(l => l.Version).IsConcurrencyToken();
        // A rep's leads by status; a pool's unclaimed leads, oldest first.
        builder.HasIndex(l => new { l.OwnerId, l.Status, l.CreatedAt });
        builder.HasIndex(l => new { l.TeamId, l.OwnerId, l.Status, l.CreatedAt });
        builder.HasOne(l => l.Team).WithMany().HasForeignKey(l => l.TeamId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(l => l.Owner).WithMany().HasForeignKey(l => l.OwnerId).OnDelete(DeleteBehavior.Restrict);
        // What it became, as plain ids: no foreign key, so deleting that customer (which deletes its opportunities) needs no
        // second cascade path on SQL Server; the lead then shows the number it had and no link.
        builder.HasIndex(l => l.ConvertedCustomerId);
        builder.HasIndex(l => l.ConvertedOpportunityId);
    }
}
