using System.Globalization;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.WorkingTime;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G1, G3: ticket deadlines on the 24-hour clock and on working hours (9:00–18:00, Beijing time).</summary>
public sealed class SlaClockTests
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    // Start (local, 2026-09-25 is a Friday), target minutes, mode, holidays, make-up days, paused working minutes, expected due (local).
    [Theory]
    [InlineData("2026-09-25 17:30", 240, SlaMode.AroundTheClock, "", "", 0, "2026-09-25 21:30")] // critical respond, 24 h clock
    [InlineData("2026-09-25 17:30", 1440, SlaMode.AroundTheClock, "", "", 0, "2026-09-26 17:30")] // critical resolve, 24 h clock: Saturday
    [InlineData("2026-09-25 17:30", 240, SlaMode.WorkingHours, "", "", 0, "2026-09-28 12:30")] // on working hours: 30 min Friday, 3.5 h Monday
    [InlineData("2026-09-25 17:30", 1440, SlaMode.WorkingHours, "", "", 0, "2026-09-30 14:30")] // 0.5 + 9 + 9 + 5.5 working hours
    [InlineData("2026-09-25 17:30", 1440, SlaMode.WorkingHours, "2026-09-28", "", 0, "2026-10-01 14:30")] // Monday a holiday: a day later
    [InlineData("2026-09-25 17:30", 1440, SlaMode.WorkingHours, "2026-09-28", "2026-09-26", 0, "2026-09-30 14:30")] // with a make-up Saturday: back again
    [InlineData("2026-09-25 17:30", 240, SlaMode.WorkingHours, "2026-09-28", "2026-09-26", 0, "2026-09-26 12:30")] // the make-up Saturday answers it
    [InlineData("2026-09-25 17:30", 240, SlaMode.AroundTheClock, "2026-09-28", "", 0, "2026-09-25 21:30")] // the 24 h clock ignores the calendar
    [InlineData("2026-09-25 17:30", 1620, SlaMode.WorkingHours, "", "", 0, "2026-09-30 17:30")] // high resolve (3 working days)
    [InlineData("2026-09-25 17:30", 1620, SlaMode.WorkingHours, "", "", 300, "2026-10-01 13:30")] // paused 5 working hours: 5 working hours later
    [InlineData("2026-09-25 17:30", 1440, SlaMode.AroundTheClock, "", "", 300, "2026-09-26 22:30")] // a 5-hour pause on the 24 h clock
    public void Due_instant_follows_the_mode_the_calendar_and_the_pauses(string start, int targetMinutes, SlaMode mode, string holidays, string makeUpDays, int pausedMinutes, string expected)
    {
        var calendar = Calendar(holidays, makeUpDays);

        var due = SlaClock.DueAt(Utc(start), targetMinutes, mode, calendar, TimeSpan.FromMinutes(pausedMinutes));

        Assert.Equal(Utc(expected), due);
    }

    [Fact]
    public void A_pause_interval_counts_only_its_working_hours()
    {
        var calendar = Calendar("", "");
        // Waiting for the customer from Friday 17:30 to Monday 14:00: 0.5 h Friday + 5 h Monday, the weekend costs nothing.
        var pauses = new[] { new SlaPause(Utc("2026-09-25 17:30"), Utc("2026-09-28 14:00")) };

        var due = SlaClock.DueAt(Utc("2026-09-25 17:30"), 1620, SlaMode.WorkingHours, calendar, pauses, Utc("2026-09-28 15:00"));

        Assert.Equal(Utc("2026-10-01 14:00"), due); // 27 + 5.5 working hours after Friday 17:30
    }

    [Theory]
    [InlineData("2026-09-28 10:15", 0.4375)] // 0.5 h Friday + 1.25 h Monday of 4 h
    [InlineData("2026-09-28 12:30", 1.0)] // due
    [InlineData("2026-09-28 14:30", 1.5)] // breached by half the target
    [InlineData("2026-09-26 12:00", 0.125)] // the weekend does not count
    public void Elapsed_fraction_counts_working_time_only(string now, double expected)
    {
        var fraction = SlaClock.ElapsedFraction(Utc("2026-09-25 17:30"), 240, SlaMode.WorkingHours, Calendar("", ""), [], Utc(now));

        Assert.Equal(expected, fraction, precision: 6);
    }

    [Fact]
    public void Elapsed_fraction_leaves_out_an_open_pause()
    {
        var pauses = new[] { new SlaPause(Utc("2026-09-28 10:00"), null) };

        var fraction = SlaClock.ElapsedFraction(Utc("2026-09-28 09:00"), 240, SlaMode.WorkingHours, Calendar("", ""), pauses, Utc("2026-09-28 17:00"));

        Assert.Equal(0.25, fraction, precision: 6); // one working hour before the pause
    }

    [Theory]
    [InlineData(TicketSeverity.High, "S", 240, 1440, SlaMode.AroundTheClock)] // the S row tightens high to the critical clock
    [InlineData(TicketSeverity.High, "A", 480, 1620, SlaMode.WorkingHours)] // other tiers keep the default
    [InlineData(TicketSeverity.High, null, 480, 1620, SlaMode.WorkingHours)] // a customer without a tier too
    [InlineData(TicketSeverity.Medium, "S", 600, 3000, SlaMode.WorkingHours)] // the severity's row for every tier
    [InlineData(TicketSeverity.Low, "B", 1080, 5400, SlaMode.WorkingHours)] // nothing set: the default
    [InlineData(TicketSeverity.Critical, "C", 240, 1440, SlaMode.AroundTheClock)]
    public void Policy_matrix_takes_the_tier_row_then_the_severity_row_then_the_default(TicketSeverity severity, string? tier, int response, int resolution, SlaMode mode)
    {
        SlaPolicy[] rows =
        [
            new() { Severity = TicketSeverity.High, Tier = "S", ResponseMinutes = 240, ResolutionMinutes = 1440, Mode = SlaMode.AroundTheClock },
            new() { Severity = TicketSeverity.Medium, ResponseMinutes = 600, ResolutionMinutes = 3000, Mode = SlaMode.WorkingHours },
        ];

        Assert.Equal(new SlaTargets(response, resolution, mode), SlaDefaults.Resolve(rows, severity, tier));
    }

    [Fact]
    public void Working_time_between_two_instants_skips_nights_weekends_and_holidays()
    {
        var calendar = Calendar("2026-09-28", "");

        Assert.Equal(TimeSpan.FromHours(9.5), calendar.WorkingTimeBetween(Utc("2026-09-25 17:30"), Utc("2026-09-30 09:00")));
        Assert.Equal(TimeSpan.Zero, calendar.WorkingTimeBetween(Utc("2026-09-30 09:00"), Utc("2026-09-25 17:30")));
    }

    private static WorkingCalendar Calendar(string holidays, string makeUpDays)
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
        return new WorkingCalendar(Beijing, new TimeOnly(9, 0), new TimeOnly(18, 0), exceptions);
    }

    private static DateTime Utc(string local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Beijing);
}
