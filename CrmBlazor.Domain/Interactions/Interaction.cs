using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Interactions;

/// <summary>One contact with a customer (SPEC C1 互动记录): a call, a visit, a meeting…</summary>
public sealed class Interaction : AuditableEntity
{
    public Guid CustomerId { get; set; }

    /// <summary>InteractionType dictionary code.</summary>
    public required string Type { get; set; }

    /// <summary>When it happened, to the minute (UTC).</summary>
    public DateTime At { get; set; }

    public string? Topic { get; set; }
    public string? Summary { get; set; }
    public string? Feedback { get; set; }

    /// <summary>The customer's contacts who took part, as contact ids joined by commas.</summary>
    public string ContactIds { get; set; } = "";

    /// <summary>Colleagues who took part, as user ids joined by commas.</summary>
    public string ParticipantIds { get; set; } = "";

    public Guid? ById { get; set; }
    public required string ByName { get; set; }

    /// <summary>The customer's demand this interaction was about, if any (SPEC C1).</summary>
    public Guid? DemandId { get; set; }

    /// <summary>The customer's service ticket this interaction was about, if any (SPEC C1, G1).</summary>
    public Guid? TicketId { get; set; }

    public List<TodoItem> Todos { get; set; } = [];
}

/// <summary>Something to do (SPEC C2 待办事项) that came out of an interaction, or a ticket's follow-up visit (SPEC G4 回访).</summary>
public sealed class TodoItem : AuditableEntity
{
    public Guid? InteractionId { get; set; }

    /// <summary>The resolved ticket whose follow-up visit this is; recording the survey completes it.</summary>
    public Guid? TicketId { get; set; }

    public Guid CustomerId { get; set; }
    public required string What { get; set; }
    public Guid OwnerId { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? DoneAt { get; set; }
}
