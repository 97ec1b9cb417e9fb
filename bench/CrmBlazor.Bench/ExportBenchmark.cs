using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MiniExcelLibs;

namespace CrmBlazor.Bench;

/// <summary>The whole customer list to a workbook (issue 7, SPEC H3) the way the export endpoint writes it: time, peak working set, file size.</summary>
public static class ExportBenchmark
{
    public static async Task RunAsync(string path)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped<ICurrentUser>(_ => new BenchUser(Guid.NewGuid(), [], new HashSet<Role> { Role.Admin }));
        var export = services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<CustomerExport>();
        var file = Path.Combine(Path.GetTempPath(), $"crm-export-bench-{Guid.NewGuid():N}.xlsx");
        var rows = 0;
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (clock.IsRunning)
            {
                Console.Write(string.Create(CultureInfo.InvariantCulture, $"\r  {rows:N0} rows, working set {Environment.WorkingSet / 1024 / 1024} MB   "));
                await Task.Delay(5000);
            }
        });
        await Task.Run(() => MiniExcel.SaveAs(file, export.RowsAsync(new CustomerFilter()).ToBlockingEnumerable().Select(r => { rows++; return r; })));
        clock.Stop();
        await sampler;
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nexported {rows:N0} customers in {clock.Elapsed.TotalSeconds:F1} s to {new FileInfo(file).Length / 1024 / 1024} MB; peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB"));
        File.Delete(file);
    }
}
