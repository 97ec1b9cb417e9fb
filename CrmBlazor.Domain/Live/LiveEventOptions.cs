namespace CrmBlazor.Domain.Live;

/// <summary>Settings <c>LiveEvents:*</c> for the outbox reader (<see cref="LiveEventCatchUp"/>).</summary>
public sealed class LiveEventOptions
{
    /// <summary>How often each instance reads the outbox for events Redis did not bring: the worst-case delay of a lost publish.</summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a missing position (a transaction that took its number but has not committed) is waited for before it
    /// is taken as rolled back. Longer than any transaction that records an event.
    /// </summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long outbox rows are kept, counted back from the newest row; older ones are deleted by the readers.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Test hook, honoured only outside Production: the process exits at once (no graceful stop) when it is about to
    /// publish an event of this kind (e.g. <c>DemandChanged</c>), i.e. after the change was committed and before the
    /// event went out. How the fault-injection tests kill an instance at the worst moment.
    /// </summary>
    public string? CrashBeforePublishing { get; set; }
}
