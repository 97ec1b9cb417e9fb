using System.Diagnostics;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Bench;

/// <summary>
/// EF Core's fixed cost per call on an SQLite file, piece by piece, beside the same work on a pooled connection by hand:
/// what the list's small queries pay before their SQL runs (README, "Benchmarks"). 200 warm-up and 1,000 timed runs each.
/// </summary>
public static class OverheadProbe
{
    public static async Task RunAsync(string path)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var admin = new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Admin });
        var factory = BenchServices.Service<IDbContextFactory<CrmDbContext>>(settings, admin);
        var queries = BenchServices.Service<CustomerQueries>(settings, admin);
        var id = Guid.NewGuid();
        await Time("context create+dispose", async () => { await using var db = await factory.CreateDbContextAsync(); });
        await Time("context + open", async () => { await using var db = await factory.CreateDbContextAsync(); await db.Database.OpenConnectionAsync(); });
        await Time("context + open + tiny query", async () => { await using var db = await factory.CreateDbContextAsync(); await db.Database.OpenConnectionAsync(); await db.Customers.Where(c => c.Id == id).Select(c => c.Id).FirstOrDefaultAsync(); });
        await Time("context + tiny query x2", async () => { await using var db = await factory.CreateDbContextAsync(); await db.Database.OpenConnectionAsync(); await db.Customers.Where(c => c.Id == id).Select(c => c.Id).FirstOrDefaultAsync(); await db.Customers.Where(c => c.Id == id).Select(c => c.Id).FirstOrDefaultAsync(); });
        await Time("raw open+close", async () => { await using var c = new SqliteConnection($"Data Source={path}"); await c.OpenAsync(); });
        await Time("raw open + tiny query", async () => { await using var c = new SqliteConnection($"Data Source={path}"); await c.OpenAsync(); await using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT Id FROM Customers WHERE Id = $id LIMIT 1"; cmd.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant()); await cmd.ExecuteScalarAsync(); });
        await Time("list search u0012345", () => queries.ListAsync(new CustomerFilter { Search = "u0012345" }, 0, 50));
        await Time("list search 1391234", () => queries.ListAsync(new CustomerFilter { Search = "1391234" }, 0, 50));
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
}
