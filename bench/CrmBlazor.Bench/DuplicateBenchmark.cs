using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// Duplicates at scale (issue 18), on a file from <c>generate --distinct-names</c>: the full scan (time, peak working set,
/// pairs by reason), then <paramref name="changes"/> single-customer renames, each followed by the recheck that finds its
/// pairs again (p50 / p95 of the recheck alone), then the page's read of the stored pairs for an analyst and a sales rep.
/// </summary>
public static class DuplicateBenchmark
{
    /// <param name="scan">False to measure the rechecks and the page on pairs a previous run stored.</param>
    public static async Task RunAsync(string path, int changes, bool scan = true)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: false, 0, NullLogger.Instance);
        int customers;
        Guid repId;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            customers = await db.Customers.CountAsync();
            repId = await db.Users.Where(u => u.ExternalId == "bench-rep-3-7").Select(u => u.Id).SingleAsync();
        }
        Console.WriteLine($"{customers:N0} customers in {path}; {Environment.ProcessorCount} cores");

        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        var clock = Stopwatch.StartNew();
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            var pairs = !scan ? await db.DuplicateCandidates.CountAsync() : await DuplicateScan.ScanAllAsync(db, CancellationToken.None);
            clock.Stop();
            process.Refresh();
            var byReason = await db.DuplicateCandidates.GroupBy(p => p.Reasons).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"full scan: {pairs:N0} pairs in {clock.Elapsed.TotalSeconds:F1} s; peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB (before {before / 1024 / 1024} MB); {string.Join(", ", byReason.Select(r => $"{r.Key} {r.Count:N0}"))}"));
        }

        var random = new Random(Environment.TickCount); // a rerun on the same file must change names again, not write the same ones
        var times = new List<double>();
        var compared = new List<int>();
        for (var i = 0; i < changes; i++)
        {
            await using var db = DomainServices.CreateSystemContext(settings, TimeProvider.System);
            var skip = random.Next(customers);
            var customer = await db.Customers.Include(c => c.Contacts).OrderBy(c => c.NumberOrder).Skip(skip).FirstAsync();
            customer.Name = customer.Name[..^5] + (char)(0x4E00 + random.Next(5000)) + customer.Name[^4..]; // one character changed
            await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, CancellationToken.None);
            await db.SaveChangesAsync();
            var queued = await db.DuplicateRechecks.CountAsync();
            var start = Stopwatch.GetTimestamp();
            var result = await DuplicateScan.RecheckPendingAsync(db, CancellationToken.None);
            if (queued != 1)
            {
                throw new InvalidOperationException($"{queued} customers queued after one rename");
            }
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            compared.Add(result.Compared);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recheck after one change (×{changes}): p50 {times[times.Count / 2]:F1} ms, p95 {times[(int)(times.Count * 0.95)]:F1} ms; customers compared p50 {compared.Order().ElementAt(compared.Count / 2)}, max {compared.Max()}"));

        var analyst = new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Analyst });
        var rep = new BenchUser(repId, [], new HashSet<Role> { Role.SalesRep });
        foreach (var (who, user) in new[] { ("analyst (all customers)", (ICurrentUser)analyst), ("sales rep (own)", rep) })
        {
            var finder = BenchServices.Service<DuplicateFinder>(settings, user);
            var read = new List<double>();
            for (var i = 0; i < 23; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await finder.FindAsync();
                read.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            read = read.Skip(3).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"page, {who}: the 200 strongest pairs p50 {read[read.Count / 2]:F1} ms, p95 {read[(int)(read.Count * 0.95)]:F1} ms"));
        }
    }
}
