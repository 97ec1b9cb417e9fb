using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MiniExcelLibs;

namespace CrmBlazor.Bench;

/// <summary>
/// The customer import at scale (issue 7, SPEC H2): a workbook of N rows in the template's columns (one row in
/// twenty with a problem), then, each in a fresh process so each peak working set is its own:
/// <list type="bullet">
/// <item><c>bare</c> — MiniExcel reading every row and nothing else: the floor;</item>
/// <item><c>check</c> — <see cref="CustomerImport.PrepareAsync"/>: file checks, every row validated, duplicates
/// against the file and the database, the errors workbook (what the targets are for);</item>
/// <item><c>run</c> — the check and then <see cref="CustomerImport.RunAsync"/> writing every valid row in batches.</item>
/// </list>
/// </summary>
public static class ImportBenchmark
{
    /// <param name="postgres">A PostgreSQL server's connection string (its database is dropped and made again for each phase); empty for SQLite files.</param>
    public static async Task RunAsync(string folder, int rows, string postgres = "")
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"import-{rows}.xlsx");
        if (!File.Exists(file))
        {
            Console.WriteLine($"writing {rows:N0} rows to {file}…");
            MiniExcel.SaveAs(file, Rows(rows));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {new FileInfo(file).Length / 1024.0 / 1024:F1} MB, {rows:N0} rows; {Environment.ProcessorCount} cores"));
        foreach (var phase in new[] { "bare", "check", "run" })
        {
            var db = Path.Combine(folder, $"import-bench-{phase}.db");
            foreach (var stale in Directory.GetFiles(folder, Path.GetFileName(db) + "*"))
            {
                File.Delete(stale);
            }
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            foreach (var arg in new[] { typeof(ImportBenchmark).Assembly.Location, "import-phase", "--phase", phase, "--file", file, "--db", db, "--postgres", postgres })
            {
                start.ArgumentList.Add(arg);
            }
            using var child = Process.Start(start)!;
            Console.WriteLine(await child.StandardOutput.ReadToEndAsync());
            await child.WaitForExitAsync();
        }
    }

    public static async Task PhaseAsync(string phase, string file, string dbPath, string postgres = "")
    {
        if (phase == "bare")
        {
            // The floor: MiniExcel reading every row, in a process that has done nothing else.
            var bareClock = Stopwatch.StartNew();
            var count = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(file, useHeaderRow: true))
            {
                count += row.Count > 0 ? 1 : 0;
            }
            bareClock.Stop();
            Report(phase, bareClock.Elapsed, $"read {count:N0} rows");
            return;
        }
        var settings = string.IsNullOrEmpty(postgres)
            ? new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={dbPath}")
            : await FreshPostgresAsync(postgres, "crm_import_bench");
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: true, demoCustomers: 1000, NullLogger.Instance);
        Guid adminId;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            adminId = await db.Users.Where(u => u.ExternalId == "demo-admin").Select(u => u.Id).SingleAsync();
        }
        var services = new ServiceCollection();
        services.AddLogging();
        // Benchmark volumes (up to a million rows) need room beyond the production defaults.
        var limits = new ImportSettings(Path.Combine(Path.GetDirectoryName(dbPath)!, "imports"), MaxBytes: 200L * 1024 * 1024, MaxRows: 1_000_000,
            MaxUnpackedBytes: 4L * 1024 * 1024 * 1024);
        services.AddSingleton(limits);
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped<ICurrentUser>(_ => new BenchUser(adminId, [], new HashSet<Role> { Role.Admin }));
        var import = services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<CustomerImport>();
        GC.Collect();
        var clock = Stopwatch.StartNew();
        string outcome;
        if (phase == "probe")
        {
            ImportFileCheck.Check(file, limits);
            outcome = "file check only";
        }
        else
        {
            await using var content = File.OpenRead(file);
            var preview = await import.PrepareAsync(Path.GetFileName(file), content, ImportMode.CreateOnly);
            outcome = $"checked {preview.Job.TotalRows:N0} rows: {preview.Job.ToCreate:N0} to create, {preview.Job.ErrorRows:N0} with problems";
            if (phase == "run")
            {
                var checkedAt = clock.Elapsed;
                var job = await import.RunAsync(preview.Job.Id);
                outcome += string.Create(CultureInfo.InvariantCulture, $" in {checkedAt.TotalSeconds:F1} s; then imported {job.Imported:N0}, skipped {job.Skipped:N0} in {(clock.Elapsed - checkedAt).TotalSeconds:F1} s");
            }
        }
        clock.Stop();
        Report(phase, clock.Elapsed, outcome);
    }

    /// <summary>The server's database <paramref name="name"/>, dropped if it was there and created empty.</summary>
    internal static async Task<DatabaseSettings> FreshPostgresAsync(string connection, string name)
    {
        await using (var server = new Npgsql.NpgsqlConnection(connection))
        {
            await server.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", server);
            await create.ExecuteNonQueryAsync();
        }
        return new DatabaseSettings(DatabaseProvider.Postgres, new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = name }.ConnectionString);
    }

    private static void Report(string phase, TimeSpan elapsed, string outcome)
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{phase,-5}: {elapsed.TotalSeconds,6:F1} s, peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB, allocated {GC.GetTotalAllocatedBytes() / 1024 / 1024:N0} MB, GC pauses {GC.GetTotalPauseDuration().TotalSeconds:F1} s — {outcome}"));
    }

    /// <summary>Template rows; every twentieth has a problem (a bad mobile, an unknown industry, no name, or a repeated name).</summary>
    private static IEnumerable<Dictionary<string, object?>> Rows(int count)
    {
        string[] industries = ["制造业", "互联网", "零售业", "金融业", "医疗健康", "教育", "物流运输", "能源", "软件与信息服务", "建筑业"];
        string[] cities = ["杭州", "上海", "南京", "苏州", "宁波", "合肥", "广州", "深圳"];
        for (var i = 1; i <= count; i++)
        {
            var problem = i % 20 == 0 ? i / 20 % 4 : -1;
            yield return new Dictionary<string, object?>
            {
                ["客户编号"] = null,
                ["客户名称*"] = problem == 2 ? null : problem == 3 ? $"基准导入客户{i - 1:D7}有限公司" : $"基准导入客户{i:D7}有限公司",
                ["行业"] = problem == 1 ? "电商" : industries[i % industries.Length],
                ["规模"] = "50–200人",
                ["状态"] = "新客户",
                ["省份"] = null,
                ["城市"] = cities[i % cities.Length],
                ["区县"] = "中心区",
                ["街道地址"] = $"建设路{i % 999 + 1}号",
                ["网站"] = $"https://c{i}.example.cn",
                ["合作历史"] = null,
                ["备注"] = "批量导入",
                ["关键联系人*"] = $"联系人{i}",
                ["职务"] = "采购经理",
                ["手机"] = problem == 0 ? "1380013" : $"13{i % 7 + 3}{i:D8}",
                ["座机"] = null,
                ["邮箱"] = $"buyer{i}@c{i}.example.cn",
            };
        }
    }
}
