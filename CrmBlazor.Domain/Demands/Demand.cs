using CrmBlazor.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Demands;

public enum DemandPriority
{
    High,
    Medium,
    Low,
}

/// <summary>Where a demand stands; the columns of the demand board (SPEC D4).</summary>
public enum DemandStatus
{
    /// <summary>Waiting for a first response; the response deadline runs.</summary>
    Open,
    InProgress,

    /// <summary>Solved on our side; waiting for the customer to confirm.</summary>
    AwaitingConfirmation,

    /// <summary>Closed with the customer's confirmation on file (SPEC D3).</summary>
    Done,
}

/// <summary>A customer's demand (SPEC D1): numbered DE{yyyy}{nnnn}, prioritised, answered within its deadline.</summary>
public sealed class Demand : AuditableEntity
{
    public required string Number { get; set; }
    public Guid CustomerId { get; set; }
    public required string Description { get; set; }

    /// <summary>Code of the DemandType dictionary (existing / potential).</summary>
    public required string Type { get; set; }

    public DemandPriority Priority { get; set; }
    public DemandStatus Status { get; set; }
    public Guid OwnerId { get; set; }

    /// <summary>The response deadline from the priority and the working calendar at creation.</summary>
    public DateTime ResponseDueAt { get; set; }

    /// <summary>When the demand first left <see cref="DemandStatus.Open"/>.</summary>
    public DateTime? RespondedAt { get; set; }

    /// <summary>Set by the one instance that claimed the breach notice (SPEC D5, J3).</summary>
    public DateTime? BreachNotifiedAt { get; set; }

    public DateTime? ClosedAt { get; set; }
    public string? ClosedByName { get; set; }

    public List<DemandTask> Tasks { get; set; } = [];
    public List<DemandEvidence> Evidence { get; set; } = [];
}

public enum DemandTaskStatus
{
    ToDo,
    InProgress,
    Delayed,
    Done,
}

/// <summary>One piece of a demand (SPEC D2): a name, an owner, a planned completion.</summary>
public sealed class DemandTask : AuditableEntity
{
    public Guid DemandId { get; set; }
    public required string Name { get; set; }
    public Guid OwnerId { get; set; }
    public DateTime PlannedAt { get; set; }
    public DemandTaskStatus Status { get; set; }
    public DateTime? DoneAt { get; set; }
    public List<DemandTaskDelay> Delays { get; set; } = [];
}

/// <summary>A delay of a task, kept for good: why, and the plan before and after.</summary>
public sealed class DemandTaskDelay : Entity
{
    public Guid TaskId { get; set; }
    public required string Reason { get; set; }
    public DateTime OldPlannedAt { get; set; }
    public DateTime NewPlannedAt { get; set; }
    public DateTime At { get; set; }
    public string? ByName { get; set; }
}

/// <summary>A file of customer confirmation (SPEC D3), stored outside wwwroot under <see cref="StoredName"/>.</summary>
public sealed class DemandEvidence : Entity, IAudited
{
    public Guid DemandId { get; set; }
    public required string FileName { get; set; }
    public required string StoredName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public DateTime UploadedAt { get; set; }
    public string? UploadedByName { get; set; }
}

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
