namespace CrmBlazor.Domain.WorkingTime;

/// <summary>
/// The business's working time (SPEC D1, G1), shared by demands and tickets: Monday to Friday within working hours, minus holidays, plus
/// make-up working days (调休) on weekends. All working-day maths lives here; times in and out are UTC,
/// reasoning happens in the business's time zone.
/// </summary>
public sealed class WorkingCalendar
{
    private readonly TimeZoneInfo _zone;
    private readonly TimeOnly _start;
    private readonly TimeOnly _end;
    private readonly IReadOnlyDictionary<DateOnly, bool> _exceptions;

    /// <param name="exceptions">Days that differ from the usual week: true for a working day, false for a day off.</param>
    public WorkingCalendar(TimeZoneInfo zone, TimeOnly start, TimeOnly end, IReadOnlyDictionary<DateOnly, bool> exceptions)
    {
        if (end <= start)
        {
            throw new ArgumentException("Working hours must end after they start.", nameof(end));
        }
        (_zone, _start, _end, _exceptions) = (zone, start, end, exceptions);
    }

    public TimeSpan WorkingDayLength => _end - _start;

    public bool IsWorkingDay(DateOnly day) =>
        _exceptions.TryGetValue(day, out var working) ? working : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The moment <paramref name="workingTime"/> of working time has passed after <paramref name="fromUtc"/>.</summary>
    public DateTime AddWorkingTime(DateTime fromUtc, TimeSpan workingTime)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), _zone);
        var day = DateOnly.FromDateTime(local);
        var clock = TimeOnly.FromDateTime(local);
        var left = workingTime;
        // Ten years of days is far beyond any deadline; the bound only guards against a calendar with no working days.
        for (var guard = 0; guard < 3660; guard++)
        {
            if (IsWorkingDay(day) && clock < _end)
            {
                var from = clock < _start ? _start : clock;
                var available = _end - from;
                if (left <= available)
                {
                    return ToUtc(day, from.Add(left));
                }
                left -= available;
            }
            day = day.AddDays(1);
            clock = TimeOnly.MinValue;
        }
        throw new InvalidOperationException("The working calendar has no working days within ten years.");
    }

    /// <summary>How much working time lies between two instants (zero when <paramref name="toUtc"/> is not later).</summary>
    public TimeSpan WorkingTimeBetween(DateTime fromUtc, DateTime toUtc)
    {
        if (toUtc <= fromUtc)
        {
            return TimeSpan.Zero;
        }
        var from = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), _zone);
        var to = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), _zone);
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(from); day <= DateOnly.FromDateTime(to); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            var open = day.ToDateTime(_start);
            var close = day.ToDateTime(_end);
            var start = from > open ? from : open;
            var end = to < close ? to : close;
            if (end > start)
            {
                total += end - start;
            }
        }
        return total;
    }

    private DateTime ToUtc(DateOnly day, TimeOnly clock) =>
        TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(clock, DateTimeKind.Unspecified), _zone);
}
