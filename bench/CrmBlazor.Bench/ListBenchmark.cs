using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// The customer list (filter + sort + page of 50, with the tags and custom values the page shows, and the count when
/// the page does not tell it) and the search box, through <see cref="CustomerQueries"/> exactly as the page calls them,
/// each beside the same work hand-written in SQL on the same SQLite file. Prints p50 / p95.
/// </summary>
public static class ListBenchmark
{
    public static async Task RunAsync(string path, int runs)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        Guid repId;
        int total;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            repId = await db.Users.Where(u => u.ExternalId == "bench-rep-3-7").Select(u => u.Id).SingleAsync();
            total = await db.Customers.CountAsync();
        }
        Console.WriteLine($"{total:N0} customers in {path}; {runs} timed runs after 20 warm-up runs each; {Environment.ProcessorCount} cores");
        var admin = new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Admin });
        var rep = new BenchUser(repId, [], new HashSet<Role> { Role.SalesRep });

        await using var sql = new SqliteConnection($"Data Source={path}");
        await sql.OpenAsync();

        var listFilter = new CustomerFilter { Statuses = ["active"], Industries = ["finance"], Sort = CustomerSort.Name };
        var rows = new List<Row>
        {
            await MeasureAsync("list: status+industry, sort by name, page 1", runs,
                () => QueriesFor(settings, admin).ListAsync(listFilter, 0, 50),
                () => HandListAsync(sql, "c.Status = 'active' AND c.Industry = 'finance'", "c.Name, c.Id", 0)),
            await MeasureAsync("list: same filter, page 200", runs,
                () => QueriesFor(settings, admin).ListAsync(listFilter, 199, 50),
                () => HandListAsync(sql, "c.Status = 'active' AND c.Industry = 'finance'", "c.Name, c.Id", 199 * 50)),
            await MeasureAsync("list: as it opens for an admin (everyone's, by number)", runs,
                () => QueriesFor(settings, admin).ListAsync(new CustomerFilter(), 0, 50),
                () => HandListAsync(sql, "", "c.NumberOrder, c.Id", 0)),
            await MeasureAsync("list: a sales rep's own, by number", runs,
                () => QueriesFor(settings, rep).ListAsync(new CustomerFilter(), 0, 50),
                () => HandListAsync(sql, $"c.OwnerId = '{repId.ToString().ToUpperInvariant()}'", "c.NumberOrder, c.Id", 0)),
        };
        foreach (var term in new[] { "瑞丰", "海纳网络", "1391234", "CRM2026123", "u0012345" })
        {
            rows.Add(await MeasureAsync($"search: {term}", runs,
                () => QueriesFor(settings, admin).ListAsync(new CustomerFilter { Search = term }, 0, 50),
                () => HandSearchAsync(sql, term)));
        }

        Console.WriteLine();
        Console.WriteLine("| query | matches | EF p50 ms | EF p95 ms | SQL p50 ms | SQL p95 ms | EF/SQL p95 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Matches:N0} | {r.Ef.P50:F2} | {r.Ef.P95:F2} | {r.Sql.P50:F2} | {r.Sql.P95:F2} | {r.Ef.P95 / r.Sql.P95:F2} |"));
        }
    }

    /// <summary>Prints the SQL EF sends for one list call (the status+industry filter, or a search), with EF's own timing of each command.</summary>
    public static async Task ShowSqlAsync(string path, string search)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped<ICurrentUser>(_ => new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Admin }));
        services.ConfigureDbContext<CrmDbContext>(o => o.LogTo(Console.WriteLine, [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted]));
        var queries = services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<CustomerQueries>();
        var filter = search.Length > 0 ? new CustomerFilter { Search = search } : new CustomerFilter { Statuses = ["active"], Industries = ["finance"], Sort = CustomerSort.Name };
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            await queries.ListAsync(filter, 0, 50);
            Console.WriteLine($"---- whole call {clock.Elapsed.TotalMilliseconds:F1} ms");
        }
    }

    private sealed record Stats(double P50, double P95);

    private sealed record Row(string Name, int Matches, Stats Ef, Stats Sql);

    /// <summary>What a circuit has: the Domain services over a scoped context factory, acting as one user.</summary>
    private static CustomerQueries QueriesFor(DatabaseSettings settings, ICurrentUser user) => Cache.GetOrAdd(user, _ =>
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped(_ => user);
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<CustomerQueries>();
    });

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ICurrentUser, CustomerQueries> Cache = new();

    private static async Task<Row> MeasureAsync(string name, int runs, Func<Task<CrmBlazor.Domain.Common.PagedResult<CustomerListItem>>> ef, Func<Task<(int Total, int Page)>> hand)
    {
        var efResult = await ef();
        var handResult = await hand();
        if (efResult.TotalCount != handResult.Total || efResult.Items.Count != handResult.Page)
        {
            throw new InvalidOperationException($"{name}: EF found {efResult.TotalCount}/{efResult.Items.Count}, SQL {handResult.Total}/{handResult.Page}");
        }
        var (efStats, sqlStats) = await TimeInTurnsAsync(runs, ef, hand);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {efResult.TotalCount:N0} matches, EF p95 {efStats.P95:F2} ms, SQL p95 {sqlStats.P95:F2} ms"));
        return new Row(name, efResult.TotalCount, efStats, sqlStats);
    }

    /// <summary>
    /// Both sides in turns (EF, SQL, EF, SQL…), 20 warm-up rounds first, so that whatever else this shared machine does
    /// meanwhile falls on both alike rather than on whichever side ran during it.
    /// </summary>
    private static async Task<(Stats Ef, Stats Sql)> TimeInTurnsAsync<TEf, TSql>(int runs, Func<Task<TEf>> ef, Func<Task<TSql>> hand)
    {
        for (var i = 0; i < 20; i++)
        {
            await ef();
            await hand();
        }
        var efTimes = new List<double>(runs);
        var sqlTimes = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await ef();
            efTimes.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await hand();
            sqlTimes.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (StatsOf(efTimes), StatsOf(sqlTimes));
    }

    private static Stats StatsOf(List<double> times)
    {
        times.Sort();
        return new Stats(times[(int)(times.Count * 0.50)], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)]);
    }

    private const string PageColumns =
        "c.Id, c.Number, c.Name, c.Industry, c.Size, c.Status, c.Tier, u.DisplayName, c.Province, c.City, c.LastContactAt, c.UpdatedAt, " +
        "(SELECT k.Name FROM Contacts k WHERE k.CustomerId = c.Id AND k.IsKey AND NOT k.HasLeft LIMIT 1), " +
        "(SELECT k.Mobile FROM Contacts k WHERE k.CustomerId = c.Id AND k.IsKey AND NOT k.HasLeft LIMIT 1)";

    /// <summary>
    /// The list by hand: one page with the key contact, the page's tags and custom values, then the count when the page does not
    /// tell it (as <see cref="CustomerQueries.ListAsync"/> decides).
    /// </summary>
    private static async Task<(int Total, int Page)> HandListAsync(SqliteConnection sql, string where, string orderBy, int offset)
    {
        var condition = where.Length > 0 ? $" WHERE {where}" : "";
        var ids = await PageAsync(sql, $"SELECT {PageColumns} FROM Customers c LEFT JOIN Users u ON u.Id = c.OwnerId{condition} ORDER BY {orderBy} LIMIT 50 OFFSET {offset}");
        await DetailsAsync(sql, ids);
        return (await TotalAsync(sql, $"SELECT COUNT(*) FROM Customers c{condition}", offset, ids.Count), ids.Count);
    }

    private static async Task<int> TotalAsync(SqliteConnection sql, string count, int offset, int onPage) =>
        onPage is > 0 and < 50 || (onPage == 0 && offset == 0) ? offset + onPage : Convert.ToInt32(await Scalar(sql, count), CultureInfo.InvariantCulture);

    private static async Task<(int Total, int Page)> HandSearchAsync(SqliteConnection sql, string search)
    {
        var term = CustomerSearch.Normalize(search);
        var bigrams = Enumerable.Range(0, term.Length - 1).Select(i => term.Substring(i, 2)).Distinct().ToList();
        var byName = string.Join(" INTERSECT ", bigrams.Select(b => $"SELECT CustomerId FROM CustomerSearchTokens WHERE Kind = 'b' AND Token = '{b}'"));
        // The same three ways in as the search box: a number, mobile or e-mail by prefix, a name by its pieces, and a merged customer's old number.
        var ids = $"SELECT CustomerId FROM CustomerSearchTokens WHERE Kind = 'p' AND Token >= '{term}' AND Token < '{term}\uffff' UNION SELECT * FROM ({byName})"
            + $" UNION SELECT CustomerId FROM CustomerAliases WHERE Number = '{search.Trim().ToUpperInvariant()}'";
        var page = await PageAsync(sql, $"SELECT {PageColumns} FROM Customers c LEFT JOIN Users u ON u.Id = c.OwnerId WHERE c.Id IN ({ids}) ORDER BY c.NumberOrder, c.Id LIMIT 50");
        await DetailsAsync(sql, page);
        return (await TotalAsync(sql, $"SELECT COUNT(*) FROM Customers c WHERE c.Id IN ({ids})", 0, page.Count), page.Count);
    }

    private static async Task<List<string>> PageAsync(SqliteConnection sql, string query)
    {
        await using var command = sql.CreateCommand();
        command.CommandText = query;
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
            for (var i = 1; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }
        }
        return ids;
    }

    private static async Task DetailsAsync(SqliteConnection sql, List<string> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var list = string.Join(",", ids.Select(i => $"'{i}'"));
        await PageAsync(sql, $"SELECT ct.CustomerId, t.Id, t.Name, t.Color FROM CustomerTags ct JOIN Tags t ON t.Id = ct.TagId WHERE ct.CustomerId IN ({list})");
        await PageAsync(sql, $"SELECT v.CustomerId, v.FieldId, v.Text, v.Number, v.Date, v.YesNo FROM CustomFieldValues v WHERE v.CustomerId IN ({list})");
    }

    private static async Task<object?> Scalar(SqliteConnection sql, string query)
    {
        await using var command = sql.CreateCommand();
        command.CommandText = query;
        return await command.ExecuteScalarAsync();
    }
}
