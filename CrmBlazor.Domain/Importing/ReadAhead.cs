using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// A synchronous sequence enumerated on a thread of its own, a few items ahead of its consumer (<c>ahead</c> waiting, and
/// the one the source is making: a consumer that stops waits for that one, a batch of rows at most). An import reads
/// and checks the sheet's next batch of rows (MiniExcel and the row rules: CPU only) while the current batch is checked
/// against the database and written, so the two cores both work. The source's exception reaches the consumer as it was
/// thrown; a consumer that stops early stops the source.
/// </summary>
internal static class ReadAhead
{
    public static async IAsyncEnumerable<T> Of<T>(IEnumerable<T> source, int ahead, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(ahead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producing = Task.Factory.StartNew(() => Produce(source, channel.Writer, stop.Token), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producing;
        }
    }

    private static void Produce<T>(IEnumerable<T> source, ChannelWriter<T> writer, CancellationToken stop)
    {
        try
        {
            foreach (var item in source)
            {
                stop.ThrowIfCancellationRequested();
                while (!writer.TryWrite(item))
                {
                    // Full: wait (this thread is the source's own) until the consumer takes one, or stops.
                    if (!writer.WaitToWriteAsync(stop).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
            }
            writer.TryComplete();
        }
#pragma warning disable CA1031 // Every failure of the source is handed to the consumer, which rethrows it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            writer.TryComplete(ex);
        }
    }
}
