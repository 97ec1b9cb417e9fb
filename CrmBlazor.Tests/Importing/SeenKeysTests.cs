using CrmBlazor.Domain.Importing;

namespace CrmBlazor.Tests.Importing;

/// <summary>The in-file duplicate check's memory of values seen: each repeat names the row its value first came in.</summary>
public sealed class SeenKeysTests
{
    /// <summary>Every third value repeats an earlier one; the reference is a dictionary of the strings themselves.</summary>
    private static List<string> Values(int count) => Enumerable.Range(0, count)
        .Select(i => i % 3 == 2 ? $"客户{i / 7}有限公司" : $"客户{i}有限公司").ToList();

    [Theory]
    [InlineData(30_000)] // sized for the sheet: no growth
    [InlineData(10)] // far fewer expected than come: it grows as it goes, and keeps every value
    public void Each_repeat_names_the_first_row_of_its_value_and_each_new_value_none(int expected)
    {
        var values = Values(30_000);
        var seen = new SeenKeys(expected);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var row = i + 2; // the header is row 1
            var expectedFirst = first.TryGetValue(values[i], out var earlier) ? earlier : (int?)null;
            first.TryAdd(values[i], row);
            Assert.Equal(expectedFirst, seen.FirstRow(values[i], row));
        }
        Assert.Equal(first.Count, seen.Count);
        Assert.True(first.Count < values.Count, "the fixture has repeats");
    }

    [Fact]
    public void A_row_before_the_first_is_refused()
    {
        var seen = new SeenKeys(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => seen.FirstRow("甲", 0));
        Assert.Equal(0, seen.Count);
    }

    [Fact]
    public void Sized_for_the_sheet_it_takes_about_sixteen_bytes_a_row_once_and_nothing_before_the_first_value()
    {
        const int rows = 100_000;
        var values = Enumerable.Range(0, rows).Select(i => $"1{i:D10}").ToList();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var seen = new SeenKeys(rows);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 1, 256); // no table until a value comes

        before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < rows; i++)
        {
            Assert.Null(seen.FirstRow(values[i], i + 2));
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 12 bytes a slot at most three quarters full: 1.6 MB, allocated once. A Dictionary<ulong, int> growing to the same
        // count allocates ~7 MB on the way (28 bytes a slot, every size it passes through).
        Assert.InRange(allocated, rows * 12L, rows * 17L);
        Assert.Equal(rows, seen.Count);
    }
}
