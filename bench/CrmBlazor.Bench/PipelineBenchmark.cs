using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Pipeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// The sales pipeline at scale (issue 15) on a database <see cref="PipelineGenerator"/> filled, each through the Domain
/// service the page calls: the busiest rep's board with the default filters, an analyst's whole-company funnel for the
/// last year, and a lead's conversion duplicate check (then the conversion itself, for real: the file keeps those
/// customers) as the lead's owner. Prints p50 / p95 and a markdown table. With <c>--explain</c> it runs each once and
/// prints every statement EF sends with its time and SQLite's query plan instead.
/// </summary>
public static class PipelineBenchmark
{
    public static async Task RunAsync(string path, int runs, int funnelRuns, bool explain)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        // Indexes added since the file was generated arrive through the real migrations.
        var clock = Stopwatch.StartNew();
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: false, demoCustomers: 0, NullLogger.Instance);
        Console.WriteLine($"schema up to date, {clock.Elapsed.TotalSeconds:F1} s");
        Guid repId, analystId;
        int opportunities, changes, leads, repVisible, qualified;
        List<(Guid Lead, Guid Owner)> candidates;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            opportunities = await db.Opportunities.CountAsync();
            changes = await db.OpportunityStageChanges.CountAsync();
            leads = await db.Leads.CountAsync();
            // The busiest rep: the most opportunities on customers they own (what the board's record scope shows).
            var busiest = await db.Opportunities.Join(db.Customers, o => o.CustomerId, c => c.Id, (o, c) => c.OwnerId)
                .GroupBy(owner => owner).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(g => g.Count).FirstAsync();
            repId = busiest.Key!.Value;
            repVisible = busiest.Count;
            analystId = await db.Users.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync();
            var qualifiedLeads = db.Leads.Where(l => l.Status == LeadStatus.Qualified && l.OwnerId != null);
            qualified = await qualifiedLeads.CountAsync();
            // Spread over the file, the same every run: every 50th qualified lead by number.
            candidates = (await qualifiedLeads.OrderBy(l => l.Number).Select(l => new { l.Id, l.OwnerId }).ToListAsync())
                .Where((_, i) => i % 50 == 0).Select(l => (l.Id, l.OwnerId!.Value)).ToList();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{opportunities:N0} opportunities ({changes:N0} stage changes), {leads:N0} leads ({qualified:N0} qualified) in {path}; the busiest rep sees {repVisible:N0} opportunities; " +
            $"{runs} timed runs after warm-up ({funnelRuns} of the funnel); {Environment.ProcessorCount} cores"));

        var rep = Services(settings, new BenchUser(repId, [], new HashSet<Role> { Role.SalesRep }), explain);
        var analyst = Services(settings, new BenchUser(analystId, [], new HashSet<Role> { Role.Analyst }), explain);
        var owners = new Dictionary<Guid, IServiceProvider>();
        IServiceProvider AsOwner(Guid owner) => owners.TryGetValue(owner, out var s) ? s : owners[owner] = Services(settings, new BenchUser(owner, [], new HashSet<Role> { Role.SalesRep }), explain);
        var until = DateTime.UtcNow;
        var since = until.AddDays(-365);

        Func<Task<int>> board = async () =>
        {
            var view = await rep.GetRequiredService<OpportunityQueries>().BoardAsync(new PipelineFilter());
            return view.Totals.Sum(t => t.Count);
        };
        Func<Task<int>> funnel = async () => (await analyst.GetRequiredService<FunnelQueries>().LoadAsync(since, until)).Total.Stages.Sum(s => s.Count);
        var nextCheck = 0;
        Func<Task<int>> check = async () =>
        {
            var (lead, owner) = candidates[nextCheck++ % candidates.Count];
            return (await AsOwner(owner).GetRequiredService<LeadQueries>().MatchesAsync(lead)).Count;
        };
        var nextConversion = candidates.Count - 1;
        Func<Task<int>> convert = async () =>
        {
            var (lead, owner) = candidates[nextConversion--];
            var services = AsOwner(owner);
            var matches = await services.GetRequiredService<LeadQueries>().MatchesAsync(lead);
            var version = (await services.GetRequiredService<LeadQueries>().GetAsync(lead)).Lead.Version;
            await services.GetRequiredService<LeadService>().ConvertAsync(lead, version,
                new LeadConversion(null, null, "基准测试商机", 1_000_000, DateOnly.FromDateTime(until).AddDays(60)));
            return matches.Count;
        };

        if (explain)
        {
            foreach (var (name, action) in new[] { ("board", board), ("funnel", funnel), ("duplicate check", check) })
            {
                Console.WriteLine($"==== {name}");
                var whole = Stopwatch.StartNew();
                await action();
                Console.WriteLine($"==== {name}: whole call {whole.Elapsed.TotalMilliseconds:F1} ms");
            }
            return;
        }

        var conversions = Math.Min(runs, Math.Max(0, candidates.Count - runs - 40) / 2);
        var rows = new List<Row>
        {
            await MeasureAsync("board: the busiest rep, default filters (totals + 500 cards)", runs, 20, board),
            await MeasureAsync("funnel: analyst, whole company, last 365 days", funnelRuns, 5, funnel),
            await MeasureAsync("conversion duplicate check (MatchesAsync), a random qualified lead as its owner", runs, 20, check),
            await MeasureAsync("conversion: duplicate check + ConvertAsync to a new customer (commits)", conversions, 5, convert),
        };

        Console.WriteLine();
        Console.WriteLine("| measured | rows | p50 ms | p95 ms | target p95 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            var target = r.Name.StartsWith("funnel", StringComparison.Ordinal) ? 500 : 50;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Rows:N0} | {r.P50:F1} | {r.P95:F1} | ≤ {target} ms {(r.P95 <= target ? "met" : "MISSED")} |"));
        }
    }

    private sealed record Row(string Name, int Rows, double P50, double P95);

    /// <summary>What a circuit has: the Domain services over a scoped context factory, acting as one user.</summary>
    private static IServiceProvider Services(DatabaseSettings settings, ICurrentUser user, bool explain)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped(_ => user);
        if (explain)
        {
            services.ConfigureDbContext<CrmDbContext>(o => o.AddInterceptors(new QueryPlanPrinter()));
        }
        return services.BuildServiceProvider().CreateScope().ServiceProvider;
    }

    /// <summary>Warm-up calls, then <paramref name="runs"/> timed; the rows figure is what the last call returned.</summary>
    private static async Task<Row> MeasureAsync(string name, int runs, int warmUp, Func<Task<int>> action)
    {
        var rows = 0;
        for (var i = 0; i < warmUp; i++)
        {
            rows = await action();
        }
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            rows = await action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        var row = new Row($"{name} ×{runs}", rows, times[runs / 2], times[Math.Min(runs - 1, (int)Math.Ceiling(runs * 0.95) - 1)]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Name}: p50 {row.P50:F1} ms, p95 {row.P95:F1} ms"));
        return row;
    }

    /// <summary>Prints each query EF runs, SQLite's plan for it (same connection, same parameters) and how long it took.</summary>
    private sealed class QueryPlanPrinter : DbCommandInterceptor
    {
        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Console.WriteLine("----");
            Console.WriteLine(command.CommandText);
            await using var plan = command.Connection!.CreateCommand();
            plan.Transaction = command.Transaction;
            plan.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            foreach (DbParameter p in command.Parameters)
            {
                var copy = plan.CreateParameter();
                copy.ParameterName = p.ParameterName;
                copy.Value = p.Value;
                copy.DbType = p.DbType;
                plan.Parameters.Add(copy);
            }
            await using var reader = await plan.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                Console.WriteLine($"  plan: {reader.GetValue(3)}");
            }
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            Console.WriteLine($"  took {eventData.Duration.TotalMilliseconds:F1} ms");
            return ValueTask.FromResult(result);
        }
    }
}
