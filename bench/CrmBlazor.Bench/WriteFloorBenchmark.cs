using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// The floor under issue 17's write target: the rows an import of N customers must write (customers, key contacts, search
/// keys, audit entries, recheck queue), built in memory as the import builds them (<see cref="ImportedCustomers"/>, the
/// same values as <c>import</c>'s workbook) and written through the import's own bulk path in its 500-row transactions,
/// with the clock running only around the writes: no workbook, no checks, no duplicate look-ups, no progress rows. Then the
/// same again for the search keys alone. Whatever the import does besides, it cannot write faster than this.
/// </summary>
public static class WriteFloorBenchmark
{
    private const int Batch = 500;

    public static async Task RunAsync(int customers, string dbPath, string postgres)
    {
        Console.WriteLine($"{customers:N0} customers, {Batch} a transaction; {Environment.ProcessorCount} cores; {(postgres.Length > 0 ? "PostgreSQL" : "SQLite")}");
        var all = await WriteAsync(customers, dbPath, postgres, keysOnly: false);
        Report("everything the import writes", customers, all.Elapsed, all.Rows);
        var keys = await WriteAsync(customers, dbPath, postgres, keysOnly: true);
        Report("the search keys alone", customers, keys.Elapsed, keys.Rows);
        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB");
    }

    private static void Report(string what, int customers, TimeSpan elapsed, long rows) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {elapsed.TotalSeconds:F1} s for {rows:N0} rows in all — {customers / elapsed.TotalSeconds:N0} customers/s (issue 17's target: 30,000)"));

    private static async Task<(TimeSpan Elapsed, long Rows)> WriteAsync(int customers, string dbPath, string postgres, bool keysOnly)
    {
        Npgsql.NpgsqlConnection.ClearAllPools(); // the last pass's connections: DROP DATABASE … WITH (FORCE) ends them
        var settings = postgres.Length > 0
            ? await ImportBenchmark.FreshPostgresAsync(postgres, "crm_write_floor")
            : FreshSqlite(keysOnly ? dbPath + ".keys" : dbPath);
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: true, demoCustomers: 1000, NullLogger.Instance);
        var now = DateTime.UtcNow;
        var year = now.Year;
        var writing = new Stopwatch();
        long rows = 0;
        for (var start = 1; start <= customers; start += Batch)
        {
            var batch = new ImportedCustomers(Guid.NewGuid(), now, null, "write-floor");
            var tokens = new List<CustomerSearchToken>();
            for (var i = start; i < start + Batch && i <= customers; i++)
            {
                var (customer, contact) = Row(i, year);
                if (keysOnly)
                {
                    tokens.AddRange(CustomerSearch.TokensOf(customer, [contact]).Select(t => new CustomerSearchToken { CustomerId = customer.Id, Kind = t.Kind, Token = t.Token }));
                }
                else
                {
                    batch.Add(customer, contact, [], null, null);
                }
            }
            await using var db = DomainServices.CreateSystemContext(settings, TimeProvider.System);
            writing.Start();
            await using (await db.Database.ForLargeWritesAsync(CancellationToken.None))
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                if (keysOnly)
                {
                    await BulkInsert.AddAsync(db, tokens, CancellationToken.None);
                }
                else
                {
                    await batch.WriteAsync(db, CancellationToken.None);
                }
                await transaction.CommitAsync();
            }
            writing.Stop();
            rows += keysOnly ? tokens.Count : batch.RowCount;
        }
        return (writing.Elapsed, rows);
    }

    private static DatabaseSettings FreshSqlite(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
        return new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
    }

    /// <summary>Row <paramref name="i"/> of <c>import</c>'s workbook as the import turns it into a customer and its key contact.</summary>
    private static (Customer, Contact) Row(int i, int year)
    {
        string[] industries = ["manufacturing", "internet", "retail", "finance", "healthcare", "education", "logistics", "energy", "software", "construction"];
        string[] cities = ["杭州", "上海", "南京", "苏州", "宁波", "合肥", "广州", "深圳"];
        var customer = new Customer
        {
            Number = CustomerNumbers.Format(year, 1000 + i),
            Name = $"基准导入客户{i:D7}有限公司",
            Industry = industries[i % industries.Length],
            Size = "50-200",
            Status = CustomerStatuses.New,
            City = cities[i % cities.Length],
            District = "中心区",
            Street = $"建设路{i % 999 + 1}号",
            Website = $"https://c{i}.example.cn",
            Notes = "批量导入",
        };
        var contact = new Contact
        {
            Name = $"联系人{i}",
            Title = "采购经理",
            Mobile = $"13{i % 7 + 3}{i:D8}",
            Email = $"buyer{i}@c{i}.example.cn",
            IsKey = true,
        };
        return (customer, contact);
    }
}
