using System.Diagnostics;
using System.Text;
using CrmBlazor.Domain.Data;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// The built server as its own process on a free loopback port, the way a user runs it: Kestrel,
/// real static assets, real circuits. Used by the browser tests.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server with <paramref name="arguments"/> after <c>dotnet</c>, in the server project folder.</summary>
    public static async Task<AppProcess> StartAsync(string arguments, IReadOnlyDictionary<string, string>? environment = null, int port = 0)
    {
        port = port == 0 ? TestServices.FreeTcpPort() : port;
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = Path.Combine(TestServices.RepositoryRoot, "CrmBlazor.Server"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var app = new AppProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await app.WaitUntilReadyAsync();
        return app;
    }

    /// <summary>The built server DLL in Development with its own fresh SQLite file; <paramref name="settings"/> add to or override the test defaults.</summary>
    public static Task<AppProcess> StartBuiltServerAsync(string sqlitePath, IReadOnlyDictionary<string, string>? settings = null) =>
        StartBuiltServerAsync(
            new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={sqlitePath}"),
            Path.Combine(Path.GetDirectoryName(sqlitePath)!, $"imports-{Path.GetFileNameWithoutExtension(sqlitePath)}"),
            settings);

    /// <summary>
    /// The built server DLL in Development on <paramref name="database"/> (any provider; several processes may share a
    /// PostgreSQL one, the first to start migrates and seeds it); <paramref name="settings"/> add to or override the test defaults.
    /// </summary>
    public static Task<AppProcess> StartBuiltServerAsync(DatabaseSettings database, string importPath, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(TestServices.RepositoryRoot, "CrmBlazor.Server", "bin", TestServices.BuildConfiguration, "net10.0", "CrmBlazor.Server.dll");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = database.Provider.ToString(),
            [$"ConnectionStrings__{database.Provider}"] = database.ConnectionString,
            ["Database__DemoCustomers"] = "40",
            ["Import__Path"] = importPath,
            ["Import__BatchSize"] = "10",
            // The minute jobs run on the wall clock: their reminders would land in the bells the tests count.
            // They have their own tests on a fake clock.
            ["Jobs__Enabled"] = "false",
            // One browser suite signs in as every role from one address, faster than people do; the limits have their own tests.
            ["RateLimits__SignIn__PermitLimit"] = "1000",
            ["RateLimits__Export__PermitLimit"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        return StartAsync($"\"{dll}\"", environment);
    }

    /// <summary>Whether the process has ended (killed, crashed or stopped by a test hook).</summary>
    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Kills the process and its children at once, as a machine failure would: no graceful stop.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end on its own; false when it is still running.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return _process.HasExited;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (database and, when configured, Redis reachable); 90 s unless told.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        while (waited.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                if ((await http.GetAsync("health/ready")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The server was not ready within {limit.TotalSeconds:0} s:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
