using System.Net;
using System.Net.WebSockets;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.Hosting;

/// <summary>
/// A circuit's WebSocket is compressed, each message on its own: the server keeps no compressor between messages, which
/// held ~256 KB of native memory for every open tab (issue 18). Through the built server on Kestrel, as a browser
/// connects: signed in, asking for <c>permessage-deflate</c>.
/// </summary>
public sealed class CircuitCompressionTests
{
    [Fact]
    public async Task The_circuit_socket_is_compressed_without_the_server_keeping_its_context()
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"crm-compression-{Guid.NewGuid():N}.db");
        try
        {
            await using var app = await AppProcess.StartBuiltServerAsync(databasePath);
            var cookies = new CookieContainer();
            using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
            var form = CrmAppFactory.UserForm().Matches(await client.GetStringAsync("/account/signin")).Single(m => m.Groups["user"].Value == "demo-supervisor");
            var signIn = await client.PostAsync("/account/local-signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = form.Groups["token"].Value,
                ["userId"] = form.Groups["id"].Value,
                ["returnUrl"] = "/demands",
            }));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

            using var socket = new ClientWebSocket();
            socket.Options.Cookies = cookies;
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions(); // what a browser asks for
            await socket.ConnectAsync(new Uri($"ws://{app.BaseAddress.Authority}/_blazor"), CancellationToken.None);

            Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
            var extensions = string.Join(", ", socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"]);
            Assert.Contains("permessage-deflate", extensions, StringComparison.Ordinal);
            Assert.Contains("server_no_context_takeover", extensions, StringComparison.Ordinal);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        finally
        {
            foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
            {
                File.Delete(file);
            }
            var imports = Path.Combine(Path.GetTempPath(), $"imports-{Path.GetFileNameWithoutExtension(databasePath)}");
            if (Directory.Exists(imports))
            {
                Directory.Delete(imports, recursive: true);
            }
        }
    }
}
