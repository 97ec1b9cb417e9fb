using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Backups;

internal sealed class BackupRunConfiguration : IEntityTypeConfiguration<BackupRun>
{
    public void Configure(EntityTypeBuilder<BackupRun> builder)
    {
        builder.Property(r => r.ScheduledDay).HasMaxLength(10);
        // One scheduled run per company day, whichever instance inserts it first (nullable: manual runs have none).
        builder.HasIndex(r => r.ScheduledDay).IsUnique();
        builder.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.RequestedBy).HasMaxLength(100);
        builder.Property(r => r.Instance).HasMaxLength(100);
        builder.Property(r => r.FileName).HasMaxLength(260);
        builder.Property(r => r.Failure).HasMaxLength(1000);
        builder.HasIndex(r => r.StartedAt);
    }
}
