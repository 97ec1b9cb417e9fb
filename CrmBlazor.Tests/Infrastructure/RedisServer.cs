using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// A redis-server process of a test's own on a free loopback port, without persistence, that the test can stop (killed, as
/// an outage is) and start again on the same port. The shared dev Redis is for tests that do not break it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>What StackExchange.Redis connects to (<c>Redis:Configuration</c>).</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(TestServices.FreeTcpPort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("redis-server is already running");
        }
        _process?.Dispose();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        OnTheRealClock(start);
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--dir", Path.GetTempPath() })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {_process.ExitCode}:\n{Output}");
            }
            if (await AnswersPingAsync())
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"redis-server on port {Port} did not answer within 10 s:\n{Output}");
    }

    /// <summary>Kills the server: connections drop at once, nothing is saved, the port is free for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Stops the process without killing it (SIGSTOP): connections stay open and nothing answers, as when a loaded server stalls.</summary>
    public Task FreezeAsync() => SignalAsync("STOP");

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public Task ThawAsync() => SignalAsync("CONT");

    private async Task SignalAsync(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            throw new InvalidOperationException("redis-server is not running");
        }
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add($"-{signal}");
        start.ArgumentList.Add(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        OnTheRealClock(start);
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync();
    }

    /// <summary>
    /// An outside server keeps real time, as test.sh's PostgreSQL and Redis do: under the fixed-date runs (libfaketime through
    /// LD_PRELOAD) redis-server would inherit the fake clock and hang on start-up.
    /// </summary>
    private static void OnTheRealClock(ProcessStartInfo start)
    {
        start.Environment.Remove("LD_PRELOAD");
        start.Environment.Remove("FAKETIME");
        start.Environment.Remove("NO_FAKE_STAT");
    }

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

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            await ThawAsync(); // a frozen process takes SIGKILL too, but let it go the ordinary way
        }
        await StopAsync();
        _process?.Dispose();
    }
}
