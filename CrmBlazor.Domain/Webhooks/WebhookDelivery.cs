using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Webhooks;

public enum WebhookDeliveryStatus
{
    /// <summary>Not tried yet, or handed back by an Admin's retry.</summary>
    Pending,
    Succeeded,

    /// <summary>The last attempt failed; another is due at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Failed,

    /// <summary>Still failing after <see cref="WebhookOptions.RetryFor"/>: no more attempts unless an Admin retries it.</summary>
    Dead,
}

/// <summary>
/// One event for one endpoint, written in the same transaction as the change (<see cref="WebhookFanOutInterceptor"/>) and
/// sent by <see cref="WebhookSender"/> on whichever instance leases it first. Its <see cref="Entity.Id"/> is the
/// <c>webhook-id</c> header: the same on every retry, so a receiver can drop a repeat.
/// </summary>
public sealed class WebhookDelivery : Entity
{
    public Guid EndpointId { get; set; }

    /// <summary>The live event the delivery tells of (the outbox row's <c>EventId</c>).</summary>
    public Guid EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The exact body that is signed and sent.</summary>
    public required string Payload { get; set; }

    public WebhookDeliveryStatus Status { get; set; } = WebhookDeliveryStatus.Pending;

    public int Attempts { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    /// <summary>Which sender pass holds the delivery, until <see cref="LeaseUntil"/>; a claim is a conditional UPDATE on these.</summary>
    public Guid? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }
}
