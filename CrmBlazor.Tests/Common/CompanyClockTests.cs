using CrmBlazor.Domain.Common;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Common;

/// <summary>Day and month rules run on the company's calendar (Asia/Shanghai), whatever the server's zone.</summary>
public sealed class CompanyClockTests
{
    private static CompanyClock At(string utc, string zone = "Asia/Shanghai") =>
        new(new FakeTimeProvider(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)), Options.Create(new CompanyOptions { TimeZone = zone }));

    [Theory]
    [InlineData("2026-11-30T16:30:00Z", "2026-12-01", "2026-12")] // still November in UTC, already December in Shanghai
    [InlineData("2026-12-31T15:30:00Z", "2026-12-31", "2026-12")] // 23:30 on New Year's Eve in Shanghai
    [InlineData("2026-12-31T16:30:00Z", "2027-01-01", "2027-01")] // 00:30 on New Year's Day in Shanghai
    [InlineData("2028-02-29T12:00:00Z", "2028-02-29", "2028-02")] // a leap day
    [InlineData("2027-03-01T00:30:00Z", "2027-03-01", "2027-03")]
    public void Today_and_this_month_are_the_company_s(string utc, string today, string month)
    {
        var clock = At(utc);
        Assert.Equal(DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), clock.Today);
        Assert.Equal(month, clock.Month);
    }

    [Fact]
    public void A_range_of_company_days_starts_and_ends_at_midnight_in_Shanghai()
    {
        var clock = At("2028-02-29T12:00:00Z");
        var (from, to) = clock.DaysUtc(new DateOnly(2028, 2, 1), new DateOnly(2028, 2, 29));
        Assert.Equal(new DateTime(2028, 1, 31, 16, 0, 0, DateTimeKind.Utc), from);
        Assert.Equal(new DateTime(2028, 2, 29, 16, 0, 0, DateTimeKind.Utc), to);
        Assert.Equal(new DateTime(2028, 1, 31, 16, 0, 0, DateTimeKind.Utc), clock.StartOfMonthUtc);
    }

    [Fact]
    public void A_wall_clock_time_from_a_picker_is_read_in_the_company_zone_and_utc_stays_utc()
    {
        var clock = At("2026-06-01T00:00:00Z");
        Assert.Equal(new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc), clock.ToUtc(new DateTime(2026, 6, 1, 18, 0, 0, DateTimeKind.Unspecified)));
        Assert.Equal(new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc), clock.ToUtc(new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2026, 6, 1, 18, 0, 0), clock.ToLocal(new DateTime(2026, 6, 1, 10, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void Another_configured_zone_moves_the_day()
    {
        Assert.Equal(new DateOnly(2026, 11, 30), At("2026-12-01T03:00:00Z", "America/New_York").Today);
        Assert.False(CompanyOptions.IsKnownZone("Mars/Olympus_Mons"));
        Assert.True(CompanyOptions.IsKnownZone("Asia/Shanghai"));
    }
}
