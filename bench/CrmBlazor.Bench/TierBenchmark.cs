using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tiering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// Tiering at scale (issue 6): one full evaluation of every customer through <see cref="TierService"/>
/// (time, peak working set, managed allocations), then the tier dashboard's queries, p50 / p95, for an
/// analyst (every customer) and for a sales rep (their own).
/// </summary>
public static class TierBenchmark
{
    public static async Task RunAsync(string path, int runs)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        int customers, orders;
        Guid repId;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            customers = await db.Customers.CountAsync();
            orders = await db.Orders.CountAsync();
            repId = await db.Users.Where(u => u.ExternalId == "bench-rep-3-7").Select(u => u.Id).SingleAsync();
        }
        Console.WriteLine($"{customers:N0} customers, {orders:N0} orders in {path}; {Environment.ProcessorCount} cores");

        var admin = new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Admin });
        var analyst = new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Analyst });
        var rep = new BenchUser(repId, [], new HashSet<Role> { Role.SalesRep });

        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var changed = await BenchServices.Service<TierService>(settings, admin).EvaluateAllAsync();
        clock.Stop();
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluation: {changed:N0} customers changed tier in {clock.Elapsed.TotalSeconds:F1} s; peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB; {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024 / 1024} MB allocated"));

        foreach (var (who, user) in new[] { ("analyst (all customers)", (ICurrentUser)analyst), ("sales rep (own)", rep) })
        {
            var dashboard = BenchServices.Service<TierDashboard>(settings, user);
            for (var i = 0; i < 5; i++)
            {
                await dashboard.LoadAsync(new CustomerFilter());
            }
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await dashboard.LoadAsync(new CustomerFilter());
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dashboard, {who}: the whole page's 6 queries p50 {times[times.Count / 2]:F1} ms, p95 {times[(int)(times.Count * 0.95)]:F1} ms"));
            var queries = BenchServices.Service<CustomerQueries>(settings, user);
            foreach (var dimension in Enum.GetValues<CustomerDimension>())
            {
                var each = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await queries.CountByAsync(new CustomerFilter(), dimension);
                    each.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                each.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  by {dimension,-9} p50 {each[each.Count / 2],7:F1} ms, p95 {each[(int)(each.Count * 0.95)],7:F1} ms"));
            }
        }
    }
}
