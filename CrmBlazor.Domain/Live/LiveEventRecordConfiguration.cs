using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Live;

internal sealed class LiveEventRecordConfiguration : IEntityTypeConfiguration<LiveEventRecord>
{
    public void Configure(EntityTypeBuilder<LiveEventRecord> builder)
    {
        builder.ToTable("LiveEventOutbox");
        builder.HasKey(r => r.Position);
        builder.Property(r => r.Position).ValueGeneratedOnAdd();
        builder.HasIndex(r => r.EventId).IsUnique();
        builder.HasIndex(r => r.RecordedAt);
        builder.Ignore(r => r.Make);
        builder.Ignore(r => r.Unpublished);
    }
}
