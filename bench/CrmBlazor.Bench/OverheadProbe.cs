using System.Data.Common;
using System.Diagnostics;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// EF Core's fixed cost per call on an SQLite file, piece by piece, beside the same work on a pooled connection by hand:
/// what the list's small queries pay before and around their SQL (README, "Benchmarks"). 200 warm-up and 1,000 timed runs each.
/// </summary>
public static class OverheadProbe
{
    public static async Task RunAsync(string path)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var admin = new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Admin });
        var timer = new CommandTimer();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped<ICurrentUser>(_ => admin);
        services.ConfigureDbContext<CrmDbContext>(o => o.AddInterceptors(timer));
        var scope = services.BuildServiceProvider().CreateScope().ServiceProvider;
        var factory = scope.GetRequiredService<IDbContextFactory<CrmDbContext>>();
        var queries = scope.GetRequiredService<CustomerQueries>();
        var id = Guid.NewGuid();
        var compiled = EF.CompileAsyncQuery((CrmDbContext db, Guid x) => db.Customers.Where(c => c.Id == x).Select(c => c.Id).FirstOrDefault());

        await Time("context from the pool, disposed", async () => { await using var db = await factory.CreateDbContextAsync(); });
        await Time("context + open", async () => { await using var db = await factory.CreateDbContextAsync(); await db.Database.OpenConnectionAsync(); });
        await Time("context + open + tiny query", async () => { await using var db = await factory.CreateDbContextAsync(); await db.Database.OpenConnectionAsync(); await db.Customers.Where(c => c.Id == id).Select(c => c.Id).FirstOrDefaultAsync(); });
        await Time("context + open + same query compiled", async () => { await using var db = await factory.CreateDbContextAsync(); await db.Database.OpenConnectionAsync(); await compiled(db, id); });
        await Time("raw open+close", async () => { await using var c = new SqliteConnection($"Data Source={path}"); await c.OpenAsync(); });
        await Time("raw open + tiny query", async () => { await using var c = new SqliteConnection($"Data Source={path}"); await c.OpenAsync(); await using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT Id FROM Customers WHERE Id = $id LIMIT 1"; cmd.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant()); await cmd.ExecuteScalarAsync(); });

        await using var raw = new SqliteConnection($"Data Source={path}");
        await raw.OpenAsync();
        foreach (var term in new[] { "u0012345", "1391234" })
        {
            timer.Reset();
            await Time($"list search {term}", () => queries.ListAsync(new CustomerFilter { Search = term }, 0, 50));
            Console.WriteLine($"   of which in its {timer.Commands / 1200} command(s) (prepare + run), mean {timer.Total.TotalMilliseconds * 1000 / 1200:F0} µs");
            var (text, parameters) = (timer.LastText!, timer.LastParameters!);
            await Time("   EF's statement by hand, new command", async () =>
            {
                await using var cmd = raw.CreateCommand();
                cmd.CommandText = text;
                foreach (var (name, value) in parameters)
                {
                    cmd.Parameters.AddWithValue(name, value);
                }
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            });
        }
    }

    private static async Task Time(string name, Func<Task> action)
    {
        for (var i = 0; i < 200; i++) await action();
        var times = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            times.Add(sw.Elapsed.TotalMilliseconds * 1000);
        }
        times.Sort();
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name,-40} p50 {times[500],8:F0} µs  p95 {times[950],8:F0} µs"));
    }

    /// <summary>Counts EF's reader commands and adds up the time EF measured for each (SQLite prepares as it runs).</summary>
    private sealed class CommandTimer : DbCommandInterceptor
    {
        public int Commands { get; private set; }
        public TimeSpan Total { get; private set; }
        public string? LastText { get; private set; }
        public List<(string Name, object Value)>? LastParameters { get; private set; }

        public void Reset() => (Commands, Total) = (0, TimeSpan.Zero);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Commands++;
            Total += eventData.Duration;
            LastText = command.CommandText;
            LastParameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value ?? DBNull.Value)).ToList();
            return ValueTask.FromResult(result);
        }
    }
}
