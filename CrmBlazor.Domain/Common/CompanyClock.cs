using System.Globalization;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Common;

/// <summary><c>Company:*</c> settings. The time zone names the company's calendar: when a day or a month starts.</summary>
public sealed class CompanyOptions
{
    public const string Section = "Company";

    /// <summary>An IANA (or Windows) time zone id.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public static bool IsKnownZone(string? id) => !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}

/// <summary>
/// "Now", "today" and day and month boundaries in the company's time zone, from <see cref="TimeProvider"/>.
/// Every day rule (the monthly reminder, "not contacted for N days", report ranges, "this month") goes
/// through here, so it means the same on a server in UTC as in Shanghai, and tests move it with a
/// <c>FakeTimeProvider</c>.
/// </summary>
public sealed class CompanyClock(TimeProvider time, IOptions<CompanyOptions> options)
{
    public TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(options.Value.TimeZone);

    public DateTime UtcNow => time.GetUtcNow().UtcDateTime;

    /// <summary>The wall clock in the company's offices.</summary>
    public DateTime Now => ToLocal(UtcNow);

    public DateOnly Today => DateOnly.FromDateTime(Now);

    /// <summary>This month as yyyy-MM, the key of monthly runs and samples.</summary>
    public string Month => Now.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public DateTime? ToLocal(DateTime? utc) => utc is { } value ? ToLocal(value) : null;

    /// <summary>A wall-clock time in the company's zone (as a date picker gives it) as UTC.</summary>
    public DateTime ToUtc(DateTime local) => local.Kind == DateTimeKind.Utc
        ? local
        : TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone);

    /// <summary>The company day an instant falls on.</summary>
    public DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(ToLocal(utc));

    /// <summary>Midnight at the start of <paramref name="day"/> in the company's zone, as UTC.</summary>
    public DateTime StartOfDayUtc(DateOnly day) => ToUtc(day.ToDateTime(TimeOnly.MinValue));

    public DateTime StartOfMonthUtc => StartOfDayUtc(new DateOnly(Today.Year, Today.Month, 1));

    /// <summary>Calendar days in the company's zone from one instant to another: Monday 23:00 to Tuesday 08:00 is one day.</summary>
    public int DaysBetween(DateTime fromUtc, DateTime toUtc) => DayOf(toUtc).DayNumber - DayOf(fromUtc).DayNumber;

    /// <summary>The first instant that is <paramref name="days"/> company calendar days after <paramref name="fromUtc"/>: the start of that day.</summary>
    public DateTime StartOfDayAfterUtc(DateTime fromUtc, int days) => StartOfDayUtc(DayOf(fromUtc).AddDays(days));

    /// <summary>
    /// The latest instant that is at least <paramref name="days"/> calendar days before <paramref name="nowUtc"/>'s day
    /// (exclusive bound): <c>DaysBetween(t, now) ≥ days</c> exactly when <c>t &lt; LatestBeforeDaysUtc(now, days)</c>.
    /// </summary>
    public DateTime LatestBeforeDaysUtc(DateTime nowUtc, int days) => StartOfDayUtc(DayOf(nowUtc).AddDays(1 - days));

    /// <summary>A range of whole company days, first to last inclusive, as [from, to) in UTC.</summary>
    public (DateTime From, DateTime To) DaysUtc(DateOnly first, DateOnly last) => (StartOfDayUtc(first), StartOfDayUtc(last.AddDays(1)));
}
