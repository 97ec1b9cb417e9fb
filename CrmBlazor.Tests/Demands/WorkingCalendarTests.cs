using System.Globalization;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.WorkingTime;

namespace CrmBlazor.Tests.Demands;

/// <summary>SPEC D1: response deadlines on the working calendar (hours 9:00–18:00, Beijing time).</summary>
public sealed class WorkingCalendarTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // Created (local), priority, holidays (comma-separated), make-up working days, expected deadline (local).
    // 2026-09-25 is a Friday; 2026-10-01..07 is the National Day week.
    [Theory]
    [InlineData("2026-09-25 17:00", DemandPriority.Medium, "2026-09-28", "2026-09-26", "2026-09-30 17:00")] // Fri 1h, make-up Sat 9h, holiday Mon, Tue 9h, Wed 8h
    [InlineData("2026-09-25 17:00", DemandPriority.Medium, "2026-09-28", "", "2026-10-01 17:00")] // the same holiday without a make-up day: a day later
    [InlineData("2026-09-25 17:00", DemandPriority.Medium, "", "", "2026-09-30 17:00")] // an ordinary weekend
    [InlineData("2026-09-25 20:00", DemandPriority.Medium, "", "", "2026-09-30 18:00")] // after hours: the clock starts Monday 9:00
    [InlineData("2026-09-26 10:00", DemandPriority.Medium, "", "", "2026-09-30 18:00")] // on a Saturday: the same
    [InlineData("2026-09-25 09:00", DemandPriority.Medium, "", "", "2026-09-29 18:00")] // at opening: three whole days
    [InlineData("2026-09-23 10:00", DemandPriority.Low, "", "", "2026-09-30 10:00")] // a working week
    [InlineData("2026-09-30 10:00", DemandPriority.Low, "2026-10-01,2026-10-02,2026-10-05,2026-10-06,2026-10-07", "2026-10-10", "2026-10-13 10:00")] // over National Day with a make-up Saturday
    [InlineData("2026-09-25 17:00", DemandPriority.High, "2026-09-28", "2026-09-26", "2026-09-26 17:00")] // high: 24 clock hours, calendar or not
    public void Response_deadline_follows_weekends_holidays_and_make_up_days(string created, DemandPriority priority, string holidays, string makeUpDays, string expected)
    {
        var exceptions = new Dictionary<DateOnly, bool>();
        foreach (var day in holidays.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            exceptions[DateOnly.Parse(day, CultureInfo.InvariantCulture)] = false;
        }
        foreach (var day in makeUpDays.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            exceptions[DateOnly.Parse(day, CultureInfo.InvariantCulture)] = true;
        }
        var calendar = new WorkingCalendar(Beijing, new TimeOnly(9, 0), new TimeOnly(18, 0), exceptions);

        var deadline = calendar.ResponseDeadline(priority, Utc(created));

        Assert.Equal(Utc(expected), deadline);
    }

    [Fact]
    public void Working_hours_must_end_after_they_start() =>
        Assert.Throws<ArgumentException>(() => new WorkingCalendar(Beijing, new TimeOnly(18, 0), new TimeOnly(9, 0), new Dictionary<DateOnly, bool>()));

    private static DateTime Utc(string local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Beijing);
}
