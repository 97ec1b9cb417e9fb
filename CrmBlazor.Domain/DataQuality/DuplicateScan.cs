using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using FuzzySharp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmBlazor.Domain.DataQuality;

/// <summary>Why two customers are likely one, as stored.</summary>
[Flags]
public enum DuplicateReasons
{
    None = 0,
    SameName = 1,
    SamePhone = 2,
    SameEmail = 4,
    SimilarName = 8,
}

/// <summary>A stored likely-duplicate pair (<see cref="FirstId"/> sorts before <see cref="SecondId"/>), with its reasons and name score.</summary>
public sealed class DuplicateCandidate
{
    public Guid FirstId { get; set; }
    public Guid SecondId { get; set; }
    public DuplicateReasons Reasons { get; set; }

    /// <summary>How many reasons: the list ranks on it.</summary>
    public int ReasonCount { get; set; }

    public int NameScore { get; set; }
}

/// <summary>A customer whose pairs must be found again: queued with the change that may alter them (a name, a city, a phone, an e-mail).</summary>
public sealed class DuplicateRecheck
{
    /// <summary>In queue order (an identity: the full scan empties the queue up to where it started).</summary>
    public long Id { get; set; }

    public Guid CustomerId { get; set; }
}

/// <summary>What a recheck did: the customers rechecked and the other customers it compared them with (never the whole base).</summary>
public sealed record RecheckResult(int Customers, int Compared);

/// <summary>
/// Likely duplicate customers at a million (SPEC H4, issue 18), stored so that the page reads them instead of comparing
/// every customer on every view. The same rules as the first finder — the same name once the legal form is set aside, a
/// shared mobile or e-mail of someone still there, or names FuzzySharp scores at 80 or more (and at most two characters
/// apart in length) in one city — found through blocking keys: the stored name key, the contacts' mobile and e-mail
/// indexes, and for similar names the search index's two-character pieces within a city (blocks larger than
/// <see cref="MaxBlock"/> are too common to tell anything and are skipped). <see cref="ScanAllAsync"/> rebuilds every pair
/// (monthly, by <see cref="DataQualityJob"/>); a save that touches a customer queues it (<see cref="TouchedBy"/>) and
/// <see cref="RecheckPendingAsync"/> finds its pairs again from its own keys only.
/// </summary>
public static class DuplicateScan
{
    public const int SimilarNameScore = 80;

    /// <summary>Customers sharing one piece in one city beyond this are a common word, not a hint.</summary>
    public const int MaxBlock = 100;

    public static int CountOf(DuplicateReasons reasons) => System.Numerics.BitOperations.PopCount((uint)reasons);

    /// <summary>Whether two name keys count as similar (and are not the same).</summary>
    public static bool Similar(string a, string b) =>
        a != b && Math.Abs(a.Length - b.Length) <= 2 && ShareEnough(a, b) && Fuzz.Ratio(a, b) >= SimilarNameScore;

    /// <summary>
    /// A cheap bound that the full scan's millions of comparisons pass through first: Fuzz.Ratio is 2·LCS / (|a| + |b|), and
    /// the longest common subsequence has no more characters than the two names share, so names sharing too few cannot score
    /// <see cref="SimilarNameScore"/> (79 leaves room for the score's rounding).
    /// </summary>
    private static bool ShareEnough(string a, string b)
    {
        Span<bool> taken = b.Length <= 256 ? stackalloc bool[b.Length] : new bool[b.Length];
        var shared = 0;
        foreach (var c in a)
        {
            var at = b.IndexOf(c);
            while (at >= 0 && taken[at])
            {
                var next = b.AsSpan(at + 1).IndexOf(c);
                at = next < 0 ? -1 : at + 1 + next;
            }
            if (at >= 0)
            {
                taken[at] = true;
                shared++;
            }
        }
        return 200 * shared >= (SimilarNameScore - 1) * (a.Length + b.Length);
    }

    /// <summary>The customers whose pairs the pending changes may alter: new, renamed, moved city or removed; any contact added, changed or removed.</summary>
    public static HashSet<Guid> TouchedBy(ChangeTracker changes)
    {
        var touched = new HashSet<Guid>();
        foreach (var entry in changes.Entries<Customer>())
        {
            if (entry.State is EntityState.Added or EntityState.Deleted
                || (entry.State == EntityState.Modified && (entry.Property(c => c.Name).IsModified || entry.Property(c => c.City).IsModified)))
            {
                touched.Add(entry.Entity.Id);
            }
        }
        foreach (var entry in changes.Entries<Contact>())
        {
            if (entry.State is EntityState.Added or EntityState.Deleted
                || (entry.State == EntityState.Modified && (entry.Property(k => k.Mobile).IsModified || entry.Property(k => k.Email).IsModified
                    || entry.Property(k => k.HasLeft).IsModified || entry.Property(k => k.CustomerId).IsModified)))
            {
                touched.Add(entry.Entity.CustomerId);
                if (entry.State == EntityState.Modified && entry.Property(k => k.CustomerId).IsModified)
                {
                    touched.Add(entry.Property(k => k.CustomerId).OriginalValue);
                }
            }
        }
        return touched;
    }

    /// <summary>
    /// Finds again the pairs of the queued customers, a hundred a transaction, oldest first, until the queue is empty or
    /// <paramref name="atMost"/> were done (a page does a few hundred; the minute job, the rest).
    /// </summary>
    public static async Task<RecheckResult> RecheckPendingAsync(CrmDbContext db, CancellationToken cancellationToken, int atMost = int.MaxValue)
    {
        var (customers, compared) = (0, 0);
        while (customers < atMost)
        {
            var queued = await db.DuplicateRechecks.AsNoTracking().OrderBy(r => r.Id).Take(100).Select(r => new { r.Id, r.CustomerId }).ToListAsync(cancellationToken);
            if (queued.Count == 0)
            {
                return new RecheckResult(customers, compared);
            }
            var ids = queued.Select(q => q.CustomerId).Distinct().ToList();
            var pairs = new Dictionary<(Guid, Guid), (DuplicateReasons Reasons, int Score)>();
            foreach (var id in ids)
            {
                compared += await PairsOfAsync(db, id, pairs, cancellationToken);
            }
            var done = queued.Select(q => q.Id).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.DuplicateCandidates.Where(p => ids.Contains(p.FirstId)).ExecuteDeleteAsync(cancellationToken);
            await db.DuplicateCandidates.Where(p => ids.Contains(p.SecondId)).ExecuteDeleteAsync(cancellationToken);
            db.DuplicateCandidates.AddRange(pairs.Select(p => Candidate(p.Key, p.Value.Reasons, p.Value.Score)));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another instance wrote one of these pairs meanwhile: roll back, the queue keeps them for the next pass.
                db.ChangeTracker.Clear();
                return new RecheckResult(customers, compared);
            }
            await db.DuplicateRechecks.Where(r => done.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            customers += ids.Count;
        }
        return new RecheckResult(customers, compared);
    }

    /// <summary>Adds the pairs of customer <paramref name="id"/> found from its own keys; returns how many other customers it compared with.</summary>
    private static async Task<int> PairsOfAsync(CrmDbContext db, Guid id, Dictionary<(Guid, Guid), (DuplicateReasons Reasons, int Score)> pairs, CancellationToken cancellationToken)
    {
        // One collection read with the customer (two made EF warn of a single query joining both at start-up).
        var me = await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(c => new
        {
            c.Name, c.City,
            Contacts = c.Contacts.Where(k => !k.HasLeft).Select(k => new { k.Mobile, k.Email }).ToList(),
        }).SingleOrDefaultAsync(cancellationToken);
        if (me is null)
        {
            return 0; // removed (merged away): its pairs go, none come back
        }
        var mobiles = me.Contacts.Where(k => k.Mobile != null).Select(k => k.Mobile!).ToList();
        var emailsOf = me.Contacts.Where(k => k.Email != null).Select(k => k.Email!).ToList();
        var key = CustomerSearch.NameKeyOf(me.Name);
        var found = new Dictionary<Guid, DuplicateReasons>();
        void Mark(IEnumerable<Guid> others, DuplicateReasons reason)
        {
            foreach (var other in others.Where(o => o != id))
            {
                found[other] = found.GetValueOrDefault(other) | reason;
            }
        }
        if (key.Length > 0)
        {
            Mark(await db.CustomerSearchTokens.Where(t => t.Kind == CustomerSearchToken.NameKey && t.Token == key).Select(t => t.CustomerId).ToListAsync(cancellationToken), DuplicateReasons.SameName);
        }
        if (mobiles.Count > 0)
        {
            Mark(await db.Contacts.Where(k => !k.HasLeft && mobiles.Contains(k.Mobile!)).Select(k => k.CustomerId).ToListAsync(cancellationToken), DuplicateReasons.SamePhone);
        }
        if (emailsOf.Count > 0)
        {
            // Stored e-mails are lower-case (ContactRules); a legacy upper-case one is still found when its own customer is rechecked.
            var emails = emailsOf.Concat(emailsOf.Select(e => e.ToLowerInvariant())).Distinct().ToList();
            Mark(await db.Contacts.Where(k => !k.HasLeft && emails.Contains(k.Email!)).Select(k => k.CustomerId).ToListAsync(cancellationToken), DuplicateReasons.SameEmail);
        }
        var pieces = CustomerSearch.NamePieces(me.Name).ToList();
        var compared = 0;
        if (key.Length > 0 && pieces.Count > 0)
        {
            var city = me.City ?? "";
            // One query a piece, stopped at MaxBlock holders in the city: a piece that common is skipped, as in the full scan,
            // without reading its tens of thousands of holders.
            var block = new List<(Guid Id, string Name)>();
            foreach (var piece in pieces)
            {
                var holders = await (
                    from t in db.CustomerSearchTokens
                    join c in db.Customers on t.CustomerId equals c.Id
                    where t.Kind == CustomerSearchToken.Bigram && t.Token == piece && (c.City ?? "") == city && c.Id != id
                    orderby t.CustomerId // the token index's own order: no sort, and no EF warning of a Take without one
                    select new { c.Id, c.Name }).Take(MaxBlock).ToListAsync(cancellationToken);
                if (holders.Count + 1 < MaxBlock) // with this customer, the block's size in the full scan
                {
                    block.AddRange(holders.Select(h => (h.Id, h.Name)));
                }
            }
            foreach (var other in block.DistinctBy(b => b.Id))
            {
                compared++;
                if (Similar(key, CustomerSearch.NameKeyOf(other.Name)))
                {
                    Mark([other.Id], DuplicateReasons.SimilarName);
                }
            }
        }
        var others = found.Keys.ToList();
        var names = others.Count == 0 ? [] : await db.Customers.Where(c => others.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        foreach (var (other, reasons) in found.Where(f => names.ContainsKey(f.Key)))
        {
            var pairKey = Key(id, other);
            var score = Fuzz.Ratio(key, CustomerSearch.NameKeyOf(names[other]));
            pairs[pairKey] = (pairs.TryGetValue(pairKey, out var known) ? known.Reasons | reasons : reasons, score);
        }
        return compared + found.Count;
    }

    /// <summary>
    /// Rebuilds every pair from grouped queries and the blocks of similar names, streaming the name pieces in index order
    /// (a million customers' keys and cities are held, not their pairs' candidates); replaces the stored pairs in one
    /// transaction and empties the queue it covered. The reads are the work, so they run side by side, each on its own
    /// thread and connection (SQLite's reads are synchronous): the same-key groups while the customers' names are loaded,
    /// then the name pieces in two halves.
    /// </summary>
    public static async Task<int> ScanAllAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var queuedBefore = await db.DuplicateRechecks.OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken);
        var options = (DbContextOptions<CrmDbContext>)db.GetService<IDbContextOptions>();
        var sameKeys = Task.Run(() => OnOwnContextAsync(options, other => SameKeyPairsAsync(other, cancellationToken)), cancellationToken);
        var known = await Task.Run(() => OnOwnContextAsync(options, other => NameKeysAsync(other, cancellationToken)), cancellationToken);
        var middle = MiddlePiece(known);
        var halves = new[] { (From: (string?)null, To: middle), (From: middle, To: (string?)null) }.Select(half =>
            Task.Run(() => OnOwnContextAsync(options, other => SimilarNamePairsAsync(other, known, half.From, half.To, cancellationToken)), cancellationToken)).ToList();

        await Task.WhenAll(halves.Append(sameKeys));
        var pairs = sameKeys.Result;
        foreach (var half in halves.Select(h => h.Result))
        {
            foreach (var (key, reasons) in half)
            {
                pairs[key] = pairs.GetValueOrDefault(key) | reasons;
            }
        }
        var rows = pairs.Where(p => known.ContainsKey(p.Key.Item1) && known.ContainsKey(p.Key.Item2))
            .Select(p => Candidate(p.Key, p.Value, Fuzz.Ratio(known[p.Key.Item1].Key, known[p.Key.Item2].Key))).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.DuplicateCandidates.ExecuteDeleteAsync(cancellationToken);
        await BulkInsert.AddAsync(db, rows, cancellationToken);
        if (queuedBefore is { } last)
        {
            await db.DuplicateRechecks.Where(r => r.Id <= last).ExecuteDeleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private static async Task<T> OnOwnContextAsync<T>(DbContextOptions<CrmDbContext> options, Func<CrmDbContext, Task<T>> read)
    {
        await using var db = new CrmDbContext(options);
        return await read(db);
    }

    /// <summary>The pairs sharing a name key, a mobile or an e-mail (lower-cased) of someone still there.</summary>
    private static async Task<Dictionary<(Guid, Guid), DuplicateReasons>> SameKeyPairsAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var pairs = new Dictionary<(Guid, Guid), DuplicateReasons>();
        void AddGroup(List<Guid> ids, DuplicateReasons reason)
        {
            if (ids.Count > MaxBlock * 10)
            {
                return; // a placeholder shared by thousands ("13800000000", "无"), not a duplicate hint
            }
            for (var i = 0; i < ids.Count; i++)
            {
                for (var j = i + 1; j < ids.Count; j++)
                {
                    var key = Key(ids[i], ids[j]);
                    pairs[key] = pairs.GetValueOrDefault(key) | reason;
                }
            }
        }
        async Task GroupsAsync(IQueryable<KeyedId> rows, DuplicateReasons reason)
        {
            string? current = null;
            var ids = new List<Guid>();
            await foreach (var row in rows.OrderBy(r => r.Key).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (row.Key != current)
                {
                    AddGroup(ids.Distinct().ToList(), reason);
                    (current, ids) = (row.Key, []);
                }
                ids.Add(row.Id);
            }
            AddGroup(ids.Distinct().ToList(), reason);
        }

        // Each key's holders are adjacent when the rows stream in key order (an index read for names and mobiles, one sort
        // for the lower-cased e-mails): a group of two or more is a set of pairs. No "shared keys" subquery: SQLite would
        // run it once per row.
        await GroupsAsync(db.CustomerSearchTokens.AsNoTracking().Where(t => t.Kind == CustomerSearchToken.NameKey).Select(t => new KeyedId { Key = t.Token, Id = t.CustomerId }), DuplicateReasons.SameName);
        var people = db.Contacts.AsNoTracking().Where(k => !k.HasLeft);
        await GroupsAsync(people.Where(k => k.Mobile != null).Select(k => new KeyedId { Key = k.Mobile!, Id = k.CustomerId }), DuplicateReasons.SamePhone);
#pragma warning disable CA1304, CA1311 // ToLower() here is SQL's lower(), not .NET's.
        await GroupsAsync(people.Where(k => k.Email != null).Select(k => new KeyedId { Key = k.Email!.ToLower(), Id = k.CustomerId }), DuplicateReasons.SameEmail);
#pragma warning restore CA1304, CA1311
        return pairs;
    }

    /// <summary>Every customer's city and name key, the cities' strings shared.</summary>
    private static async Task<Dictionary<Guid, (string City, string Key)>> NameKeysAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var cities = new Dictionary<string, string>();
        var known = new Dictionary<Guid, (string City, string Key)>(await db.Customers.CountAsync(cancellationToken));
        await foreach (var c in db.Customers.AsNoTracking().Select(c => new { c.Id, c.City, c.Name }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var city = c.City ?? "";
            known[c.Id] = (cities.TryGetValue(city, out var same) ? same : cities[city] = city, CustomerSearch.NameKeyOf(c.Name));
        }
        return known;
    }

    /// <summary>A name piece that splits the pieces index roughly in half, estimated from the name keys of every 64th customer.</summary>
    private static string? MiddlePiece(Dictionary<Guid, (string City, string Key)> known)
    {
        var sample = known.Values.Where((_, i) => i % 64 == 0).SelectMany(k => CustomerSearch.NamePieces(k.Key)).Order(StringComparer.Ordinal).ToList();
        return sample.Count == 0 ? null : sample[sample.Count / 2];
    }

    /// <summary>
    /// The pairs of similar names among the holders of each name piece in [<paramref name="from"/>, <paramref name="to"/>)
    /// (null: unbounded), block by block: the holders of one piece in one city.
    /// </summary>
    private static async Task<Dictionary<(Guid, Guid), DuplicateReasons>> SimilarNamePairsAsync(
        CrmDbContext db, Dictionary<Guid, (string City, string Key)> known, string? from, string? to, CancellationToken cancellationToken)
    {
        var pairs = new Dictionary<(Guid, Guid), DuplicateReasons>();
        // One list per city, emptied after each piece and never longer than MaxBlock (a longer block is skipped anyway):
        // the common pieces, held by tens of thousands, allocate nothing.
        var blocks = new Dictionary<string, List<(Guid Id, string Key)>>();
        var filled = new List<List<(Guid Id, string Key)>>();
        void Hold(Guid id)
        {
            if (!known.TryGetValue(id, out var customer))
            {
                return;
            }
            if (!blocks.TryGetValue(customer.City, out var block))
            {
                blocks[customer.City] = block = new List<(Guid, string)>(MaxBlock);
            }
            if (block.Count == 0)
            {
                filled.Add(block);
            }
            if (block.Count < MaxBlock)
            {
                block.Add((id, customer.Key));
            }
        }
        void CompareBlocks()
        {
            foreach (var block in filled)
            {
                for (var i = 0; block.Count < MaxBlock && i < block.Count; i++)
                {
                    for (var j = i + 1; j < block.Count; j++)
                    {
                        if (Similar(block[i].Key, block[j].Key))
                        {
                            pairs[Key(block[i].Id, block[j].Id)] = DuplicateReasons.SimilarName;
                        }
                    }
                }
                block.Clear();
            }
            filled.Clear();
        }
        var pieces = db.CustomerSearchTokens.AsNoTracking().Where(t => t.Kind == CustomerSearchToken.Bigram);
        if (from is not null)
        {
            pieces = pieces.Where(t => string.Compare(t.Token, from) >= 0);
        }
        if (to is not null)
        {
            pieces = pieces.Where(t => string.Compare(t.Token, to) < 0);
        }
        string? piece = null;
        await foreach (var t in pieces.OrderBy(t => t.Token).Select(t => new { t.Token, t.CustomerId }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (t.Token != piece)
            {
                CompareBlocks();
                piece = t.Token;
            }
            Hold(t.CustomerId);
        }
        CompareBlocks();
        return pairs;
    }

    private sealed class KeyedId
    {
        public required string Key { get; init; }
        public Guid Id { get; init; }
    }

    private static (Guid, Guid) Key(Guid a, Guid b) => a.CompareTo(b) < 0 ? (a, b) : (b, a);

    private static DuplicateCandidate Candidate((Guid First, Guid Second) key, DuplicateReasons reasons, int score) =>
        new() { FirstId = key.First, SecondId = key.Second, Reasons = reasons, ReasonCount = CountOf(reasons), NameScore = score };
}
