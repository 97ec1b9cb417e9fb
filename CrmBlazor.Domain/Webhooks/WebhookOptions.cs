namespace CrmBlazor.Domain.Webhooks;

/// <summary>Settings <c>Webhooks:*</c> for <see cref="WebhookSender"/>; each default here only.</summary>
public sealed class WebhookOptions
{
    /// <summary>How often each instance looks for due deliveries (real time: it paces a poll and decides nothing by the date).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one POST may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claim holds a delivery; longer than <see cref="Timeout"/>, so a live sender never loses its lease mid-send.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The delay after the first failure; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long after its creation a failing delivery is still retried; then it is dead.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Failed attempts in a row (any delivery) after which an endpoint is disabled and the Admins told.</summary>
    public int DisableAfterFailures { get; set; } = 20;

    /// <summary>
    /// How long a delivered or dead delivery stays visible (and retriable) after its creation; then <see cref="WebhookSender.PruneAsync"/>
    /// removes it. Pending and failing ones are never removed.
    /// </summary>
    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Deliveries one pass claims at most.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>The next attempt after the <paramref name="attempts"/>-th failure: 10 s, 20 s, 40 s … capped.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 30);
        var delay = FirstRetryDelay * Math.Pow(2, doublings);
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}
