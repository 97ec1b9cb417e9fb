using System.Globalization;
using CrmBlazor.Domain.Common;
using CrmBlazor.Server.Components.Shared;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Culture;

/// <summary>
/// SPEC J1: instants are shown in the company's zone (Asia/Shanghai) or the user's own, never the server's or UTC;
/// the pattern is the UI culture's. Expected texts are the Shanghai wall clock in that culture's pattern, so the
/// test holds on any ICU version, and each also names the day it must show.
/// </summary>
public sealed class DisplayTimeTests
{
    private static readonly CultureInfo Chinese = new("zh-CN"), English = new("en");

    private static DisplayTime Times(string? userZone = null)
    {
        var clock = new CompanyClock(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero)), Options.Create(new CompanyOptions()));
        var times = new DisplayTime(clock);
        times.Use(userZone);
        return times;
    }

    private static DateTime Utc(int month, int day, int hour, int minute, int second = 0) => new(2026, month, day, hour, minute, second, DateTimeKind.Utc);

    [Theory]
    [InlineData("zh-CN", "2026/12/1", "23:30")]
    [InlineData("en", "12/1/2026", "11:30")]
    public void Half_past_eleven_at_night_in_Shanghai_shows_on_that_Shanghai_day_in_both_languages(string culture, string day, string time)
    {
        var shown = Times().DateTime(Utc(12, 1, 15, 30), new CultureInfo(culture));

        Assert.Equal(new DateTime(2026, 12, 1, 23, 30, 0).ToString("g", new CultureInfo(culture)), shown);
        Assert.Contains(day, shown, StringComparison.Ordinal);
        Assert.Contains(time, shown, StringComparison.Ordinal);
        Assert.DoesNotContain("15:30", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(" 3:30", shown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15, 59, 59, "2026/12/1", "12/1/2026")] // 23:59:59 in Shanghai: still the 1st
    [InlineData(16, 0, 0, "2026/12/2", "12/2/2026")]   // midnight in Shanghai: the 2nd, though UTC is still on the 1st
    [InlineData(16, 30, 0, "2026/12/2", "12/2/2026")]
    public void The_day_changes_at_midnight_in_Shanghai_not_in_UTC(int hour, int minute, int second, string chinese, string english)
    {
        var times = Times();
        var at = Utc(12, 1, hour, minute, second);

        Assert.Equal(chinese, times.Date(at, Chinese));
        Assert.Equal(english, times.Date(at, English));
        Assert.StartsWith(chinese + " ", times.DateTime(at, Chinese), StringComparison.Ordinal);
    }

    [Fact]
    public void New_Year_s_Eve_at_half_past_eleven_in_Shanghai_is_still_the_old_year()
    {
        Assert.Equal("2026/12/31", Times().Date(Utc(12, 31, 15, 30), Chinese));
        Assert.Equal("1/1/2027", Times().Date(Utc(12, 31, 16, 30), English));
    }

    [Fact]
    public void A_user_s_own_zone_overrides_the_company_s_for_display()
    {
        var shanghai = Times();
        var losAngeles = Times("America/Los_Angeles");
        var at = Utc(12, 2, 3, 0); // Wednesday 11:00 in Shanghai, Tuesday 19:00 in Los Angeles

        Assert.True(losAngeles.IsUserZone);
        Assert.Equal("America/Los_Angeles", losAngeles.Zone.Id);
        Assert.Equal("2026/12/2", shanghai.Date(at, Chinese));
        Assert.Equal("2026/12/1", losAngeles.Date(at, Chinese));
        Assert.Equal(new DateTime(2026, 12, 1, 19, 0, 0).ToString("g", English), losAngeles.DateTime(at, English));
        Assert.Equal("2026-12-01 19:00:00", losAngeles.Precise(at));
        // What the user picks on their own clock is their zone's wall time.
        Assert.Equal(at, losAngeles.ToUtc(new DateTime(2026, 12, 1, 19, 0, 0)));
        Assert.Equal(new DateTime(2026, 12, 1, 8, 0, 0), losAngeles.Now); // 16:00 UTC
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Asia/Shanghai")]
    public void No_zone_an_unknown_one_or_the_company_s_own_means_the_company_s(string? zone)
    {
        var times = Times(zone);

        Assert.False(times.IsUserZone);
        Assert.Equal("Asia/Shanghai", times.Zone.Id);
        Assert.Equal("2026-12-01 23:30:00", times.Precise(Utc(12, 1, 15, 30)));
        Assert.Equal("Asia/Shanghai (UTC+08:00)", times.ZoneLabel);
    }

    [Fact]
    public void A_missing_time_shows_nothing_so_the_page_can_say_never()
    {
        Assert.Null(Times().DateTime((DateTime?)null, Chinese));
        Assert.Null(Times().Date((DateTime?)null, English));
    }
}
