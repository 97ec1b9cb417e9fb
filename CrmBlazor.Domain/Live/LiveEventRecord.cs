using System.Text.Json;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Live;

/// <summary>
/// The outbox (docs/decisions/0017): a live event stored in the same transaction as the change it tells of. Redis
/// pub/sub is the fast path; every instance also reads these rows in <see cref="Position"/> order
/// (<see cref="LiveEventCatchUp"/>), so an event whose publisher died after the commit, or that was published
/// while Redis was down, still reaches every instance once.
/// </summary>
public sealed class LiveEventRecord
{
    /// <summary>Assigned by the database on insert; the order every instance reads in.</summary>
    public long Position { get; set; }

    public Guid EventId { get; set; }

    public string Payload { get; set; } = "";

    public DateTime RecordedAt { get; set; }

    public static LiveEventRecord Of(LiveEvent liveEvent) => new()
    {
        EventId = liveEvent.EventId,
        Payload = JsonSerializer.Serialize(liveEvent),
        RecordedAt = liveEvent.OccurredAt,
    };

    public LiveEvent? Read() => JsonSerializer.Deserialize<LiveEvent>(Payload);
}

internal sealed class LiveEventRecordConfiguration : IEntityTypeConfiguration<LiveEventRecord>
{
    public void Configure(EntityTypeBuilder<LiveEventRecord> builder)
    {
        builder.ToTable("LiveEventOutbox");
        builder.HasKey(r => r.Position);
        builder.Property(r => r.Position).ValueGeneratedOnAdd();
        builder.HasIndex(r => r.EventId).IsUnique();
        builder.HasIndex(r => r.RecordedAt);
    }
}

public static class LiveEventRecording
{
    /// <summary>
    /// Stores <paramref name="liveEvent"/> with the changes this context saves next (same transaction), and returns it:
    /// publish it through <see cref="ILiveEvents.PublishAsync"/> once the change is committed.
    /// </summary>
    public static T RecordLiveEvent<T>(this CrmDbContext db, T liveEvent) where T : LiveEvent
    {
        db.LiveEventOutbox.Add(LiveEventRecord.Of(liveEvent));
        return liveEvent;
    }
}
