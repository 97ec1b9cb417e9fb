using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder in front of several hosts, as a load balancer with sticky sessions is: every connection goes
/// to the host it is pinned to while that host accepts connections; when it refuses, the proxy re-pins to the next one
/// and stays there. Bytes are copied both ways unchanged, so HTTP and WebSockets (Blazor's circuit) pass through; a
/// connection ends on both sides when either side closes it.
/// </summary>
public sealed class StickyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri[] _hosts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private int _pinned;
    private volatile bool _down;

    public StickyProxy(params Uri[] hosts)
    {
        _hosts = hosts;
        _listener.Start();
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    /// <summary>The host new connections go to now.</summary>
    public Uri PinnedHost => _hosts[Volatile.Read(ref _pinned)];

    /// <summary>
    /// The network drops, as a phone's does in a lift: every open connection is cut and new ones are closed at once,
    /// until <see cref="ComeBack"/>.
    /// </summary>
    public void GoDown()
    {
        _down = true;
        foreach (var client in _open.Keys)
        {
            client.Client.Close();
        }
    }

    /// <summary>The network is back: connections pass again.</summary>
    public void ComeBack() => _down = false;

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        {
            if (_down)
            {
                return;
            }
            _open[client] = 0;
            try
            {
                using var upstream = await ConnectToPinnedHostAsync();
                if (upstream is null)
                {
                    return;
                }
                client.NoDelay = upstream.NoDelay = true;
                var fromClient = client.GetStream();
                var toHost = upstream.GetStream();
                // When one direction ends (either side closed or reset), close both sockets so the other copy ends too.
                var first = await Task.WhenAny(CopyAsync(fromClient, toHost), CopyAsync(toHost, fromClient));
                await first;
            }
            finally
            {
                _open.TryRemove(client, out _);
            }
        }
    }

    private async Task<TcpClient?> ConnectToPinnedHostAsync()
    {
        for (var tries = 0; tries < _hosts.Length; tries++)
        {
            var pinned = Volatile.Read(ref _pinned);
            var host = _hosts[pinned];
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(host.Host, host.Port, _stopping.Token);
                return upstream;
            }
            catch (SocketException)
            {
                upstream.Dispose();
                Interlocked.CompareExchange(ref _pinned, (pinned + 1) % _hosts.Length, pinned);
            }
            catch (OperationCanceledException)
            {
                upstream.Dispose();
                return null;
            }
        }
        return null;
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _stopping.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            from.Socket.Close();
            to.Socket.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }
}
