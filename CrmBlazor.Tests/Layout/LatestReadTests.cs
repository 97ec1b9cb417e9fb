using CrmBlazor.Server.Components.Shared;

namespace CrmBlazor.Tests.Layout;

public sealed class LatestReadTests
{
    [Fact]
    public async Task Of_two_overlapping_reads_the_one_started_last_is_shown_even_when_the_first_ends_after_it()
    {
        var reads = new LatestRead();
        var shown = (string?)null;
        var first = new TaskCompletionSource<string>();
        var second = new TaskCompletionSource<string>();
        var firstRead = reads.RunAsync(() => first.Task, () => shown is not null);
        var secondRead = reads.RunAsync(() => second.Task, () => shown is not null);

        second.SetResult("after the filter change");
        var (showSecond, secondValue) = await secondRead;
        Assert.True(showSecond);
        shown = secondValue;
        first.SetResult("before the filter change");
        var (showFirst, _) = await firstRead;

        Assert.False(showFirst);
        Assert.Equal("after the filter change", shown);
    }

    [Fact]
    public async Task An_earlier_read_fills_a_page_that_shows_nothing_yet_when_the_later_one_fails()
    {
        var reads = new LatestRead();
        var first = new TaskCompletionSource<string>();
        var firstRead = reads.RunAsync(() => first.Task, () => false);
        var secondRead = reads.RunAsync<string>(() => Task.FromException<string>(new TimeoutException("database busy")), () => false);

        await Assert.ThrowsAsync<TimeoutException>(() => secondRead);
        first.SetResult("the board");

        Assert.Equal((true, "the board"), await firstRead);
    }

    [Fact]
    public async Task Reads_one_after_the_other_are_each_shown()
    {
        var reads = new LatestRead();
        Assert.Equal((true, 1), await reads.RunAsync(() => Task.FromResult(1), () => true));
        Assert.Equal((true, 2), await reads.RunAsync(() => Task.FromResult(2), () => true));
    }
}
