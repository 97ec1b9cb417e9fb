using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// Data quality at scale (issue 18): the start-up migration and one-off backfill of the stored problems, the month's
/// checklist opened and the company figures, then the data-quality page's queries p50 / p95 for an analyst
/// (every customer) and a sales rep (their own), and each drill-down.
/// </summary>
public static class QualityBenchmark
{
    public static async Task RunAsync(string path, int runs)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var clock = Stopwatch.StartNew();
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: false, 0, NullLogger.Instance);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"start-up (migrations, backfill of the stored problems when missing): {clock.Elapsed.TotalSeconds:F1} s"));
        int customers;
        Guid repId;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            customers = await db.Customers.CountAsync();
            repId = await db.Users.Where(u => u.ExternalId == "bench-rep-3-7").Select(u => u.Id).SingleAsync();
        }
        Console.WriteLine($"{customers:N0} customers in {path}; {Environment.ProcessorCount} cores");

        // The month's opening as DataQualityJob does it, without its duplicate scan (the `duplicates` benchmark measures that).
        clock.Restart();
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            var staleBefore = DateTime.UtcNow.AddMonths(-DataQualityService.DefaultStaleMonths);
            var opened = await CleaningChecklist.OpenAsync(db, DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture), staleBefore, CancellationToken.None);
            var openedIn = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var figures = await DataQualityService.FiguresAsync(db.Customers, staleBefore, wholeBase: true, CancellationToken.None);
            using var process = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"checklist opened: {opened:N0} new lines in {openedIn:F1} s (0 when this month's were opened by an earlier run); company figures in {clock.Elapsed.TotalMilliseconds:F0} ms; peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB"));
        }

        var analyst = new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Analyst });
        var rep = new BenchUser(repId, [], new HashSet<Role> { Role.SalesRep });
        foreach (var (who, user) in new[] { ("analyst (all customers)", (ICurrentUser)analyst), ("sales rep (own)", rep) })
        {
            var quality = BenchServices.Service<DataQualityService>(settings, user);
            var checklist = BenchServices.Service<CleaningChecklist>(settings, user);
            var summary = await quality.SummaryAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{who}: {summary.Customers:N0} customers, accuracy {summary.Accuracy:P1}; {string.Join(", ", summary.Issues.Select(i => $"{i.Key} {i.Value:N0}"))}"));
            Report("  the page (figures, trend, checklist, sample)", runs, async () =>
            {
                await quality.SummaryAsync();
                await quality.TrendAsync();
                await checklist.ReadAsync();
                await quality.SampleAsync();
            });
            Report("  figures alone", runs, () => quality.SummaryAsync());
            Report("  checklist alone", runs, () => checklist.ReadAsync());
            foreach (var issue in Enum.GetValues<QualityIssue>())
            {
                Report($"  drill-down {issue}", Math.Max(5, runs / 4), () => quality.CustomersWithAsync(issue));
            }
        }
    }

    private static void Report(string what, int runs, Func<Task> action)
    {
        for (var i = 0; i < 3; i++)
        {
            action().GetAwaiter().GetResult();
        }
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action().GetAwaiter().GetResult();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-48} p50 {times[times.Count / 2],8:F1} ms, p95 {times[(int)(times.Count * 0.95)],8:F1} ms"));
    }
}
