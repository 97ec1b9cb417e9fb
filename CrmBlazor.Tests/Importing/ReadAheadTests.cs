using CrmBlazor.Domain.Importing;

namespace CrmBlazor.Tests.Importing;

/// <summary>The import run reads the sheet's next batches on a thread of its own while it writes the current one.</summary>
public sealed class ReadAheadTests
{
    [Fact]
    public async Task Items_arrive_in_order_from_another_thread_and_the_source_runs_only_a_few_ahead()
    {
        var consumer = Environment.CurrentManagedThreadId;
        var produced = 0;
        var threads = new HashSet<int>();
        IEnumerable<int> Source()
        {
            for (var i = 0; i < 50; i++)
            {
                lock (threads)
                {
                    threads.Add(Environment.CurrentManagedThreadId);
                }
                Interlocked.Increment(ref produced);
                yield return i;
            }
        }

        var seen = new List<int>();
        await foreach (var item in ReadAhead.Of(Source(), ahead: 2, CancellationToken.None))
        {
            if (item == 0)
            {
                // While the consumer holds the first, the source fills the channel (two waiting) and makes one more, which
                // it holds until there is room: four made, and no more however long the consumer takes.
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref produced) == 4, TimeSpan.FromSeconds(30)));
                await Task.Delay(100);
                Assert.Equal(4, Volatile.Read(ref produced));
            }
            seen.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 50), seen);
        Assert.DoesNotContain(consumer, threads);
    }

    [Fact]
    public async Task A_failing_source_hands_its_own_exception_to_the_consumer_after_the_items_before_it()
    {
        IEnumerable<int> Source()
        {
            yield return 1;
            yield return 2;
            throw new ImportRejectedException("文件超过行数上限", "The file has too many rows");
        }

        var seen = new List<int>();
        var thrown = await Assert.ThrowsAsync<ImportRejectedException>(async () =>
        {
            await foreach (var item in ReadAhead.Of(Source(), ahead: 2, CancellationToken.None))
            {
                seen.Add(item);
            }
        });

        Assert.Equal("The file has too many rows", thrown.En);
        Assert.Equal([1, 2], seen);
    }

    [Fact]
    public async Task A_consumer_that_stops_stops_the_source_and_releases_it()
    {
        var produced = 0;
        var released = false;
        IEnumerable<int> Source()
        {
            try
            {
                for (var i = 0; i < 1_000_000; i++)
                {
                    Interlocked.Increment(ref produced);
                    yield return i;
                }
            }
            finally
            {
                released = true; // the sheet's file closes here
            }
        }

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in ReadAhead.Of(Source(), ahead: 2, CancellationToken.None))
            {
                if (item == 3)
                {
                    throw new InvalidOperationException("the batch failed");
                }
            }
        });

        // The read-ahead waits for the source before it returns.
        Assert.True(released);
        Assert.InRange(produced, 4, 8);
    }
}
