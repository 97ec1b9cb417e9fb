using CrmBlazor.Domain.Common;

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
