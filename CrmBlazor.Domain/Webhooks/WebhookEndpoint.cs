using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Webhooks;

/// <summary>
/// A URL an Admin registered to receive signed events (docs/decisions/0021). Not an <see cref="AuditableEntity"/>: its
/// <see cref="Secret"/> must never reach an audit diff; <see cref="WebhookService"/> audits registrations itself.
/// </summary>
public sealed class WebhookEndpoint : Entity
{
    public required string Url { get; set; }

    public string? Description { get; set; }

    /// <summary>
    /// The signing secret (<c>whsec_</c> + base64), shown to the Admin once at registration. Stored as is because the
    /// sender needs it to sign: the database is as sensitive as the secret (it holds the data the events carry).
    /// </summary>
    public required string Secret { get; set; }

    /// <summary>The subscribed <see cref="WebhookEventTypes"/>, space-separated.</summary>
    public string EventTypes { get; set; } = "";

    public bool Enabled { get; set; } = true;

    /// <summary>Failed attempts since the last success; at <see cref="WebhookOptions.DisableAfterFailures"/> the endpoint is disabled.</summary>
    public int ConsecutiveFailures { get; set; }

    public DateTime? DisabledAt { get; set; }

    public string? DisabledReason { get; set; }

    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> EventTypeList => EventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public bool Subscribes(string eventType) => EventTypeList.Contains(eventType, StringComparer.Ordinal);
}
