using CrmBlazor.Domain.Importing;

namespace CrmBlazor.Tests.Importing;

/// <summary>The errors workbook is written as the check finds failing rows, on a thread of its own: all of them, in order, and nothing left behind when the check stops.</summary>
public sealed class ErrorsWorkbookWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("errors-workbook-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_row_added_is_in_the_file_in_order_even_past_what_the_queue_holds()
    {
        var path = Path.Combine(_folder, "errors.xlsx");
        await using (var writer = new ErrorsWorkbookWriter(path))
        {
            for (var i = 1; i <= 5000; i++)
            {
                writer.Add(new Dictionary<string, object?> { ["客户名称*"] = $"客户{i}", ["错误原因"] = $"原因{i}", ["原行号"] = i + 1 }, CancellationToken.None);
            }
            await writer.CompleteAsync();
        }

        var rows = ImportWorkbooks.Read(path);
        Assert.Equal(5000, rows.Count);
        Assert.Equal(Enumerable.Range(1, 5000).Select(i => $"客户{i}"), rows.Select(r => r["客户名称*"]));
        Assert.Equal("原因4321", rows[4320]["错误原因"]);
    }

    [Fact]
    public async Task Without_failing_rows_no_file_is_written()
    {
        var path = Path.Combine(_folder, "none.xlsx");
        await using (var writer = new ErrorsWorkbookWriter(path))
        {
            await writer.CompleteAsync();
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_check_that_stops_part_way_leaves_no_half_written_file()
    {
        var path = Path.Combine(_folder, "stopped.xlsx");
        await using (var writer = new ErrorsWorkbookWriter(path))
        {
            writer.Add(new Dictionary<string, object?> { ["错误原因"] = "原因" }, CancellationToken.None);
            // the check throws here: the writer is disposed without CompleteAsync
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_fails_the_check_instead_of_hanging_it()
    {
        var path = Path.Combine(_folder, "missing-folder", "errors.xlsx");
        await using var writer = new ErrorsWorkbookWriter(path);
        var adding = Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++) // ten times what the queue holds: the writer's failure must end the waiting
            {
                writer.Add(new Dictionary<string, object?> { ["错误原因"] = $"原因{i}" }, CancellationToken.None);
            }
            return writer.CompleteAsync();
        });
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => adding.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
