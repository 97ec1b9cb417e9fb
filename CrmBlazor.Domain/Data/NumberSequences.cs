using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

/// <summary>A named counter (customer numbers per year, demand numbers per year…).</summary>
public sealed class NumberSequence
{
    public required string Key { get; set; }
    public long Last { get; set; }
}

public static class NumberSequences
{
    /// <summary>
    /// Takes the next value of <paramref name="key"/>. Call inside a transaction: the UPDATE locks the row
    /// until commit, so a concurrent caller waits and then reads its own, higher value.
    /// </summary>
    public static Task<long> NextAsync(CrmDbContext db, string key, CancellationToken cancellationToken) => ReserveAsync(db, key, 1, cancellationToken);

    /// <summary>Takes <paramref name="count"/> consecutive values at once (an import batch) and returns the last; same locking as <see cref="NextAsync"/>.</summary>
    public static async Task<long> ReserveAsync(CrmDbContext db, string key, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var updated = await db.NumberSequences.Where(s => s.Key == key)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Last, x => x.Last + count), cancellationToken);
            if (updated == 1)
            {
                return await db.NumberSequences.Where(s => s.Key == key).Select(s => s.Last).SingleAsync(cancellationToken);
            }

            // First number of this key: create the row without failing when a concurrent caller beat us to it.
            await db.InsertUnlessExistsAsync(
                $"IF NOT EXISTS (SELECT 1 FROM [NumberSequences] WITH (UPDLOCK, HOLDLOCK) WHERE [Key] = {key}) INSERT INTO [NumberSequences] ([Key], [Last]) VALUES ({key}, 0)",
                $"INSERT INTO \"NumberSequences\" (\"Key\", \"Last\") VALUES ({key}, 0) ON CONFLICT (\"Key\") DO NOTHING",
                cancellationToken);
        }
    }
}
