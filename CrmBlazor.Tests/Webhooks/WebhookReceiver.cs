using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace CrmBlazor.Tests.Webhooks;

/// <summary>
/// An integrator's receiver: a tiny Kestrel server on loopback that records every POST and answers what the test says
/// (200 by default; 503 while "down"; a 302 to elsewhere). It verifies signatures on its own, from the secret alone.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Request(string Id, string Timestamp, string Signature, string Body, int Answered);

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>The status code the next request gets.</summary>
    public int Answer { get; set; } = StatusCodes.Status200OK;

    /// <summary>With a 3xx <see cref="Answer"/>: where the redirect points.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>How long each answer takes (widens the window two senders would need to collide).</summary>
    public TimeSpan Delay { get; set; }

    public string Url => _app.Urls.Single() + "/hooks/crm";

    public IReadOnlyList<Request> Accepted => [.. Requests.Where(r => r.Answered is >= 200 and < 300)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }
            var answer = receiver.Answer;
            receiver.Requests.Enqueue(new Request(
                context.Request.Headers["webhook-id"].ToString(), context.Request.Headers["webhook-timestamp"].ToString(),
                context.Request.Headers["webhook-signature"].ToString(), body, answer));
            context.Response.StatusCode = answer;
            if (receiver.RedirectTo is { } location && answer is >= 300 and < 400)
            {
                context.Response.Headers.Location = location;
            }
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>What an integrator writes (README, "Webhooks"): HMAC-SHA256 of "id.timestamp.body" with the secret's base64 part.</summary>
    public static bool IsSignedWith(string secret, Request request)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{request.Id}.{request.Timestamp}.{request.Body}")));
        return request.Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
