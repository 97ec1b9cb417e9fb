using CrmBlazor.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Hosting;

/// <summary>SPEC I1: the status page's request p50/p95 come from the last 15 minutes of this instance's requests.</summary>
public sealed class RequestTimingsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_percentiles_are_the_nearest_ranks_of_the_recorded_durations()
    {
        var timings = new RequestTimings(_time);
        foreach (var ms in Enumerable.Range(1, 100).Reverse())
        {
            timings.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(new RequestPercentiles(100, 50, 95), timings.Percentiles());
    }

    [Fact]
    public void Requests_older_than_fifteen_minutes_leave_the_window()
    {
        var timings = new RequestTimings(_time);
        foreach (var ms in Enumerable.Range(1, 100))
        {
            timings.Record(TimeSpan.FromMilliseconds(ms));
        }
        _time.Advance(TimeSpan.FromMinutes(10));
        timings.Record(TimeSpan.FromMilliseconds(800));
        timings.Record(TimeSpan.FromMilliseconds(1200));

        _time.Advance(TimeSpan.FromMinutes(5)); // the first hundred are exactly 15 minutes old: still in
        Assert.Equal(102, timings.Percentiles().Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new RequestPercentiles(2, 800, 1200), timings.Percentiles());

        _time.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(new RequestPercentiles(0, null, null), timings.Percentiles());
    }

    [Fact]
    public void Past_its_capacity_the_window_keeps_the_most_recent_requests()
    {
        var timings = new RequestTimings(_time);
        for (var i = 0; i < RequestTimings.Capacity; i++)
        {
            timings.Record(TimeSpan.FromMilliseconds(1));
        }
        for (var i = 0; i < RequestTimings.Capacity; i++)
        {
            timings.Record(TimeSpan.FromMilliseconds(7));
        }

        Assert.Equal(new RequestPercentiles(RequestTimings.Capacity, 7, 7), timings.Percentiles());
    }
}
