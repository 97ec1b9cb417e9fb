using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Demands;

internal sealed class DemandConfiguration : IEntityTypeConfiguration<Demand>
{
    public void Configure(EntityTypeBuilder<Demand> builder)
    {
        builder.Property(d => d.Number).HasMaxLength(16);
        builder.HasIndex(d => d.Number).IsUnique();
        builder.Property(d => d.Description).HasMaxLength(4000);
        builder.Property(d => d.Type).HasMaxLength(64);
        builder.Property(d => d.Priority).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(d => d.ClosedByName).HasMaxLength(100);
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.HasIndex(d => new { d.Status, d.ResponseDueAt });
        builder.HasIndex(d => d.CustomerId);
        builder.HasIndex(d => d.OwnerId);
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(d => d.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.Tasks).WithOne().HasForeignKey(t => t.DemandId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.Evidence).WithOne().HasForeignKey(e => e.DemandId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DemandTaskConfiguration : IEntityTypeConfiguration<DemandTask>
{
    public void Configure(EntityTypeBuilder<DemandTask> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasIndex(t => new { t.OwnerId, t.Status });
        builder.HasMany(t => t.Delays).WithOne().HasForeignKey(d => d.TaskId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DemandTaskDelayConfiguration : IEntityTypeConfiguration<DemandTaskDelay>
{
    public void Configure(EntityTypeBuilder<DemandTaskDelay> builder)
    {
        builder.Property(d => d.Reason).HasMaxLength(1000);
        builder.Property(d => d.ByName).HasMaxLength(100);
    }
}

internal sealed class DemandEvidenceConfiguration : IEntityTypeConfiguration<DemandEvidence>
{
    public void Configure(EntityTypeBuilder<DemandEvidence> builder)
    {
        builder.Property(e => e.FileName).HasMaxLength(255);
        builder.Property(e => e.StoredName).HasMaxLength(64);
        builder.Property(e => e.ContentType).HasMaxLength(100);
        builder.Property(e => e.UploadedByName).HasMaxLength(100);
    }
}
