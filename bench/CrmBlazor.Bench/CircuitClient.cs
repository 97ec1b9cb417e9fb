using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Bench;

/// <summary>
/// A Blazor Server circuit held open without a browser (issue 18: 300 Chromium pages on 2 cores starved the server they were
/// measuring). It does what blazor.web.js does for a prerendered page, no more: reads the page's <c>&lt;!--Blazor:…--&gt;</c>
/// markers and its persisted state, connects to <c>/_blazor</c> over WebSockets with the "blazorpack" protocol (SignalR's
/// MessagePack under Blazor's name), starts the circuit, adds the page's root components, acknowledges every render batch as
/// soon as it arrives, and answers each JS interop call as done (a void result, or a fresh object reference when one is
/// asked for). It keeps no DOM: the render batches are counted, not applied. Modelled on the protocol of ASP.NET Core's
/// own former test client (Ignitor) and blazor.web.js 10's CircuitManager / WebRootComponentManager.
/// </summary>
public sealed partial class CircuitClient : IAsyncDisposable
{
    /// <summary>blazor.web.js's <c>JSCallResultType.JSObjectReference</c>: the call wants an object reference back.</summary>
    private const int JSObjectReferenceResult = 1;

    private readonly HubConnection _hub;
    private readonly TaskCompletionSource _firstRender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _renderBatches;
    private long _nextObjectId;

    /// <summary>
    /// What a 1440 × 900 desktop window answers to the interop calls of the pages measured that expect a value (MudBlazor's
    /// popover count, window size, element and SVG boxes); any other call is answered "done, nothing returned".
    /// </summary>
    private static readonly Dictionary<string, string> Answers = new(StringComparer.Ordinal)
    {
        ["mudpopoverHelper.countProviders"] = "1",
        ["mudResizeListener.getBrowserWindowSize"] = """{"height":900,"width":1440}""",
        ["mudElementRef.getBoundingClientRect"] = """{"top":0,"left":0,"width":800,"height":400,"bottom":400,"right":800,"scrollX":0,"scrollY":0,"windowHeight":900,"windowWidth":1440}""",
        ["mudGetSvgBBox"] = """{"x":0,"y":0,"width":40,"height":12}""",
    };

    private CircuitClient(HubConnection hub) => _hub = hub;

    /// <summary>Render batches received (and acknowledged).</summary>
    public long RenderBatches => Interlocked.Read(ref _renderBatches);

    /// <summary>The first thing that went wrong: a <c>JS.Error</c> from the server, the connection closing, a failed send.</summary>
    public string? Error => Volatile.Read(ref _error);

    private string? _error;

    public bool IsConnected => _hub.State == HubConnectionState.Connected;

    /// <summary>Opens a circuit on <paramref name="path"/>, as the user whose cookie <paramref name="cookies"/> holds; returns when its first render batch arrived.</summary>
    public static async Task<CircuitClient> OpenAsync(Uri baseAddress, string path, CookieContainer cookies, CancellationToken cancellationToken)
    {
        var pageAddress = new Uri(baseAddress, path);
        string html;
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }))
        {
            using var response = await http.GetAsync(pageAddress, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} (signed out?)");
            }
            html = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        var markers = Marker().Matches(html).Select(m => m.Groups["json"].Value).Where(json => json.Contains("\"descriptor\"", StringComparison.Ordinal)).ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no interactive root component.");
        }
        var state = PersistedState().Match(html) is { Success: true } found ? found.Groups["state"].Value : "";

        var builder = new HubConnectionBuilder().WithUrl(new Uri(baseAddress, "_blazor"), options =>
        {
            options.Cookies = cookies;
            options.Transports = HttpTransportType.WebSockets;
            // As a browser does: permessage-deflate offered, so the server keeps what it keeps for a browser's socket.
            options.WebSocketConfiguration = socket => socket.DangerousDeflateOptions = new WebSocketDeflateOptions();
        });
        builder.Services.AddSingleton<IHubProtocol, BlazorPackProtocol>();
        var client = new CircuitClient(builder.Build());
        client.Listen();
        try
        {
            await client._hub.StartAsync(cancellationToken);
            var circuit = await client._hub.InvokeAsync<string?>("StartCircuit", baseAddress.ToString(), pageAddress.ToString(), "[]", state, cancellationToken);
            if (string.IsNullOrEmpty(circuit))
            {
                throw new InvalidOperationException($"The server refused to start a circuit on {path}: {client.Error}");
            }
            // blazor.web.js's first root-component batch: an "add" for every prerendered marker, with the page's persisted state
            // (sent to StartCircuit as well, as blazor.web.js does).
            var batch = JsonSerializer.Serialize(new
            {
                batchId = 1,
                operations = markers.Select((json, i) => new { type = "add", ssrComponentId = i + 1, marker = JsonDocument.Parse(json).RootElement }),
            });
            await client._hub.SendAsync("UpdateRootComponents", batch, state, cancellationToken);
            await client._firstRender.Task.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            return client.Error is null ? client : throw new InvalidOperationException($"{path}: {client.Error}");
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>A cookie jar signed in as a demo user through the development sign-in page (the form a browser posts).</summary>
    public static async Task<CookieContainer> SignInAsync(Uri baseAddress, string demoUser, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var page = await http.GetStringAsync("/account/signin", cancellationToken);
        var form = SignInForm().Matches(page).SingleOrDefault(m => m.Groups["user"].Value == demoUser)
            ?? throw new InvalidOperationException($"The sign-in page offers no demo user {demoUser}.");
        using var response = await http.PostAsync("/account/local-signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(form.Groups["token"].Value),
            ["userId"] = form.Groups["id"].Value,
            ["returnUrl"] = "/",
        }), cancellationToken);
        return response.StatusCode == HttpStatusCode.Redirect ? cookies : throw new InvalidOperationException($"Signing in as {demoUser} answered {(int)response.StatusCode}.");
    }

    private void Listen()
    {
        _hub.On<long, byte[]>("JS.RenderBatch", async (batchId, _) =>
        {
            Interlocked.Increment(ref _renderBatches);
            _firstRender.TrySetResult();
            await SendAsync("OnRenderCompleted", batchId, null);
        });
        // Blazor 10 sends (asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType); handle 0 wants no answer.
        _hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async arguments =>
        {
            var handle = (long)arguments[0]!;
            if (handle == 0)
            {
                return;
            }
            var result = (int)arguments[3]! == JSObjectReferenceResult
                ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref _nextObjectId)}}}"
                : Answers.GetValueOrDefault((string)arguments[1]!, "null");
            await SendAsync("EndInvokeJSFromDotNet", handle, true, $"[{handle},true,{result}]");
        });
        _hub.On("JS.AttachComponent", [typeof(int), typeof(string)], _ => Task.CompletedTask);
        _hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        _hub.On("JS.EndLocationChanging", [typeof(int), typeof(bool)], _ => Task.CompletedTask);
        _hub.On<string>("JS.Error", message =>
        {
            Fail("JS.Error: " + message);
            _firstRender.TrySetResult();
        });
        _hub.Closed += exception =>
        {
            Fail("connection closed" + (exception is null ? "" : ": " + exception.Message));
            _firstRender.TrySetResult();
            return Task.CompletedTask;
        };
    }

    private async Task SendAsync(string method, params object?[] arguments)
    {
        try
        {
            await _hub.SendCoreAsync(method, arguments);
        }
        catch (Exception exception) when (exception is HubException or InvalidOperationException or IOException or OperationCanceledException)
        {
            Fail($"{method}: {exception.Message}");
        }
    }

    /// <summary>Keeps the first failure: handlers and the connection's close run on threads of their own.</summary>
    private void Fail(string error) => Interlocked.CompareExchange(ref _error, error, null);

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    [GeneratedRegex("""<form method="post" action="/account/local-signin">.*?name="__RequestVerificationToken"[^>]*?value="(?<token>[^"]+)".*?name="userId" value="(?<id>[^"]+)".*?data-user="(?<user>[^"]+)".*?</form>""", RegexOptions.Singleline)]
    private static partial Regex SignInForm();

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->")]
    private static partial Regex PersistedState();

    /// <summary>Blazor's hub accepts only the protocol named "blazorpack": SignalR's MessagePack protocol, renamed.</summary>
    private sealed class BlazorPackProtocol : IHubProtocol
    {
        private readonly MessagePackHubProtocol _messagePack = new();

        public string Name => "blazorpack";

        public int Version => _messagePack.Version;

        public TransferFormat TransferFormat => TransferFormat.Binary;

        public bool IsVersionSupported(int version) => _messagePack.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            _messagePack.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _messagePack.WriteMessage(message, output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _messagePack.GetMessageBytes(message);
    }
}
