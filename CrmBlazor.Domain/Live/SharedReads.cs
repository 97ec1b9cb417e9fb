using System.Collections.Concurrent;
using CrmBlazor.Domain.Access;
using Microsoft.Extensions.Caching.Memory;

namespace CrmBlazor.Domain.Live;

/// <summary>
/// One read for every open page that answers the same live event with the same question. A move on a board reaches every
/// open board of this instance at once, and each re-reads: a supervisor with six tabs, or a wall of screens on one
/// account, would run the same query six times within milliseconds. Reads keyed by the event, the caller's record scope
/// (<see cref="Access.RecordScope.Key"/>) and the filter share one query; each started after the event was published,
/// so the shared answer is as fresh as any of them. A read of the user's own (a filter, a move, a conflict) never shares.
/// Rows are shared too (<see cref="SameRows{TRow}"/>): an open board keeps what it read for as long as it is open, and
/// equal rows read by different pages are one object, their texts with them.
/// </summary>
public sealed class SharedReads(TimeProvider time) : IDisposable
{
    /// <summary>How long an answer is kept for pages that are slow to ask (a busy instance): the event's fan-out, not a cache.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<object, (DateTimeOffset Started, Lazy<Task<object>> Read)> _reads = new();

    /// <summary>
    /// The answer to <paramref name="question"/> (the page's query and its filter): in answer to live event
    /// <paramref name="afterEvent"/>, shared with every page of the same record scope asking it after that event; with no
    /// event (the user's own read, a resync), read on its own. The scope is part of the key here, so no caller can forget it.
    /// </summary>
    public Task<T> ReadAsync<T>(Guid? afterEvent, ICurrentUser user, object question, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class =>
        afterEvent is { } eventId
            ? GetAsync((eventId, RecordScope.Key(user), question), () => read(CancellationToken.None))
            : read(cancellationToken);

    /// <summary>
    /// Equal rows (records compare by value) read by any page within the last ten minutes: each row of
    /// <paramref name="rows"/> is replaced by the one already held, if any. A supervisor's hundred-card board holds its
    /// cards and their texts once for every tab that shows the same cards, where each tab kept its own copy (~30 KB a
    /// tab); a changed card is a new row, and the old one goes once no page has read it for ten minutes.
    /// <paramref name="size"/> is a row's weight in characters (its texts); all rows held weigh at most 16 million
    /// (~32 MB), a demand's description being up to 4,000 characters.
    /// </summary>
    public IReadOnlyList<TRow> SameRows<TRow>(IReadOnlyList<TRow> rows, Func<TRow, int> size) where TRow : class, IEquatable<TRow>
    {
        var same = new TRow[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            same[i] = _rows.TryGetValue(row, out TRow? held) && held is not null
                ? held
                : _rows.Set(row, row, new MemoryCacheEntryOptions { Size = 64 + size(row), SlidingExpiration = TimeSpan.FromMinutes(10) });
        }
        return same;
    }

    private readonly MemoryCache _rows = new(new MemoryCacheOptions { SizeLimit = 16_000_000 });

    public void Dispose() => _rows.Dispose();

    private async Task<T> GetAsync<T>(object key, Func<Task<T>> read) where T : class
    {
        var now = time.GetUtcNow();
        foreach (var (old, entry) in _reads)
        {
            if (now - entry.Started > KeptFor)
            {
                _reads.TryRemove(old, out _);
            }
        }
        var shared = _reads.GetOrAdd(key, _ => (now, new Lazy<Task<object>>(async () => await read())));
        try
        {
            return (T)await shared.Read.Value;
        }
        catch
        {
            _reads.TryRemove(new KeyValuePair<object, (DateTimeOffset, Lazy<Task<object>>)>(key, shared)); // the next page asks again
            throw;
        }
    }
}
