using System.Diagnostics;
using System.Net;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Bench;

/// <summary>The built server (Release) as a process of its own on a loopback port, for the benchmarks that go through HTTP.</summary>
internal static class BenchServer
{
    /// <summary>The Release server dll under the repository root (the current directory), or null after saying how to build it.</summary>
    public static string? BuiltServer()
    {
        var server = Path.Combine(Directory.GetCurrentDirectory(), "CrmBlazor.Server", "bin", "Release", "net10.0", "CrmBlazor.Server.dll");
        if (File.Exists(server))
        {
            return server;
        }
        Console.WriteLine($"Build the server first (dotnet build CrmBlazor.Server -c Release) and run from the repository root; {server} is missing.");
        return null;
    }

    /// <summary>Starts the server in Development (the demo sign-in, no Entra), jobs off, warnings only, plus <paramref name="settings"/>.</summary>
    public static Process Start(string dll, int port, Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\"")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(dll))))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Jobs__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitUntilReadyAsync(string address, int seconds = 60)
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < seconds * 10; attempt++)
        {
            try
            {
                if ((await http.GetAsync($"{address}/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The server did not become ready within {seconds} s.");
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>System contexts on the benchmark's database, for Domain services that take a factory.</summary>
internal sealed class BenchContextFactory(DatabaseSettings settings) : IDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext() => DomainServices.CreateSystemContext(settings, TimeProvider.System);
}
