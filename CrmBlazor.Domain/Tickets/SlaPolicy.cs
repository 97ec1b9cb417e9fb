using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tickets;

/// <summary>Which clock a ticket's targets run on.</summary>
public enum SlaMode
{
    /// <summary>Every minute counts, nights, weekends and holidays included.</summary>
    AroundTheClock,

    /// <summary>Only working hours on working days of the working calendar count (holidays off, make-up days on).</summary>
    WorkingHours,
}

/// <summary>
/// One cell of the severity × tier matrix (SPEC G1, G3): a first-response and a resolution target in minutes of
/// <see cref="Mode"/>. A row for <see cref="EveryTier"/> is the severity's rule for every tier; a row with one
/// overrides it for that tier's customers (an S customer's high ticket may run on the critical clock).
/// </summary>
public sealed class SlaPolicy : AuditableEntity
{
    public TicketSeverity Severity { get; set; }

    /// <summary>The row for every tier (empty rather than null, so the unique key holds on every provider).</summary>
    public const string EveryTier = "";

    /// <summary>S / A / B / C, or <see cref="EveryTier"/>.</summary>
    public string Tier { get; set; } = EveryTier;

    public int ResponseMinutes { get; set; }
    public int ResolutionMinutes { get; set; }
    public SlaMode Mode { get; set; }
}

/// <summary>The targets a ticket runs on.</summary>
public sealed record SlaTargets(int ResponseMinutes, int ResolutionMinutes, SlaMode Mode);

public static class SlaDefaults
{
    private const int Hour = 60;

    /// <summary>A working day on a working-hours policy: the default 9:00–18:00.</summary>
    private const int WorkingDay = 9 * Hour;

    /// <summary>
    /// The targets when Admin has set none for a severity: critical respond 4 h, resolve 24 h around the clock
    /// (SPEC G1); the rest on working hours — high 8 h / 3 days, medium 1 day / 5 days, low 2 days / 10 days,
    /// a day being 9 working hours.
    /// </summary>
    public static SlaTargets For(TicketSeverity severity) => severity switch
    {
        TicketSeverity.Critical => new(4 * Hour, 24 * Hour, SlaMode.AroundTheClock),
        TicketSeverity.High => new(8 * Hour, 3 * WorkingDay, SlaMode.WorkingHours),
        TicketSeverity.Medium => new(WorkingDay, 5 * WorkingDay, SlaMode.WorkingHours),
        _ => new(2 * WorkingDay, 10 * WorkingDay, SlaMode.WorkingHours),
    };

    /// <summary>The tier's own row, else the severity's row for every tier, else the default.</summary>
    public static SlaTargets Resolve(IEnumerable<SlaPolicy> policies, TicketSeverity severity, string? tier)
    {
        var forSeverity = policies.Where(p => p.Severity == severity).ToList();
        var chosen = forSeverity.FirstOrDefault(p => !string.IsNullOrEmpty(tier) && p.Tier == tier) ?? forSeverity.FirstOrDefault(p => p.Tier == SlaPolicy.EveryTier);
        return chosen is null ? For(severity) : new SlaTargets(chosen.ResponseMinutes, chosen.ResolutionMinutes, chosen.Mode);
    }
}
