using CrmBlazor.Domain.WorkingTime;

namespace CrmBlazor.Domain.Tickets;

/// <summary>An interval the clock stood still (the ticket waited for the customer); an open one has no end yet.</summary>
public readonly record struct SlaPause(DateTime FromUtc, DateTime? ToUtc);

/// <summary>
/// SLA time on a ticket (SPEC G1, G3): a target of minutes, counted around the clock or on working hours of
/// the working calendar (holidays, make-up days, hours in the company's zone), minus the time paused. Pauses
/// are measured in the same currency as the target: a pause over a night costs a working-hours clock nothing.
/// </summary>
public static class SlaClock
{
    /// <summary>The minutes of <paramref name="mode"/> between two instants.</summary>
    public static TimeSpan Measure(DateTime fromUtc, DateTime toUtc, SlaMode mode, WorkingCalendar calendar) => mode == SlaMode.AroundTheClock
        ? (toUtc > fromUtc ? toUtc - fromUtc : TimeSpan.Zero)
        : calendar.WorkingTimeBetween(fromUtc, toUtc);

    /// <summary>The share of a target used when the assignee is warned (SPEC G3).</summary>
    public const double WarningShare = 0.75;

    /// <summary>The instant the target runs out, when <paramref name="paused"/> of the clock's time was spent paused.</summary>
    public static DateTime DueAt(DateTime startUtc, int targetMinutes, SlaMode mode, WorkingCalendar calendar, TimeSpan paused) =>
        After(startUtc, TimeSpan.FromMinutes(targetMinutes) + paused, mode, calendar);

    /// <summary>The instant <see cref="WarningShare"/> of the target is used, pauses excluded: when the warning is due.</summary>
    public static DateTime WarnAt(DateTime startUtc, int targetMinutes, SlaMode mode, WorkingCalendar calendar, TimeSpan paused) =>
        After(startUtc, TimeSpan.FromSeconds(Math.Round(targetMinutes * 60 * WarningShare)) + paused, mode, calendar);

    private static DateTime After(DateTime startUtc, TimeSpan budget, SlaMode mode, WorkingCalendar calendar) =>
        mode == SlaMode.AroundTheClock ? startUtc + budget : calendar.AddWorkingTime(startUtc, budget);

    /// <summary>The due instant with the given pause intervals (an open pause counts up to <paramref name="nowUtc"/>).</summary>
    public static DateTime DueAt(DateTime startUtc, int targetMinutes, SlaMode mode, WorkingCalendar calendar, IEnumerable<SlaPause> pauses, DateTime nowUtc) =>
        DueAt(startUtc, targetMinutes, mode, calendar, Paused(pauses, mode, calendar, nowUtc));

    /// <summary>How much of the target has been used at <paramref name="nowUtc"/>: 0 at the start, 1 at the deadline, above 1 once breached.</summary>
    public static double ElapsedFraction(DateTime startUtc, int targetMinutes, SlaMode mode, WorkingCalendar calendar, IEnumerable<SlaPause> pauses, DateTime nowUtc)
    {
        if (targetMinutes <= 0)
        {
            return 1;
        }
        var used = Measure(startUtc, nowUtc, mode, calendar) - Paused(pauses, mode, calendar, nowUtc);
        return Math.Max(0, used.TotalMinutes) / targetMinutes;
    }

    private static TimeSpan Paused(IEnumerable<SlaPause> pauses, SlaMode mode, WorkingCalendar calendar, DateTime nowUtc) =>
        pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + Measure(p.FromUtc, p.ToUtc ?? nowUtc, mode, calendar));
}
