using System.Globalization;
using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Hosting;

/// <summary>
/// SPEC I1, issue 14 "Metrics": the Prometheus endpoint, scraped as a scraper on the same host would, shows the request,
/// EF Core and live-event instruments with values after some traffic; nobody else gets it.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CrmAppFactory App(bool prometheus) => new(_database.Settings, settings: new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false",
        ["OpenTelemetry:Prometheus:Enabled"] = prometheus ? "true" : "false",
    });

    [Fact]
    public async Task A_local_scrape_after_some_traffic_finds_request_EF_Core_and_live_event_instruments_with_values()
    {
        await using var app = App(prometheus: true);
        using var admin = await app.SignedInClientAsync("demo-admin");
        using var customers = await admin.GetAsync("/customers");
        Assert.Equal(HttpStatusCode.OK, customers.StatusCode);
        await app.Services.GetRequiredService<ILiveEvents>().PublishAsync(new CustomerChanged(Guid.NewGuid(), 2, null, "测试"));

        var (status, metrics) = await ScrapeAsync(app, IPAddress.Loopback);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(Sum(metrics, "http_server_request_duration_seconds_count") >= 2, metrics);
        Assert.True(Sum(metrics, "microsoft_entityframeworkcore_queries_total") > 0, metrics);
        Assert.True(Sum(metrics, "crm_live_events_published_total", "kind=\"CustomerChanged\"") >= 1, metrics);
        Assert.True(Sum(metrics, "crm_live_events_received_total", "kind=\"CustomerChanged\"") >= 1, metrics);
    }

    [Fact]
    public async Task The_scrape_counts_events_replayed_from_the_outbox_and_resyncs_of_this_instance()
    {
        await using var app = App(prometheus: true);
        _ = app.Server;
        await Task.Delay(1500); // the outbox reader has noted where the outbox ends
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            db.RecordLiveEvent(new TiersChanged(1) { Audience = TiersChanged.Everyone }); // committed, never published
            await db.SaveChangesAsync();
        }
        await app.Services.GetRequiredService<LocalLiveEvents>().ResyncAsync("telemetry-test");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        string metrics;
        while (Sum(metrics = (await ScrapeAsync(app, IPAddress.Loopback)).Body, "crm_live_events_replayed_total", "kind=\"TiersChanged\"") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, metrics);
            await Task.Delay(200);
        }
        Assert.True(Sum(metrics, "crm_live_events_resyncs_total", "reason=\"telemetry-test\"") >= 1, metrics);
    }

    [Fact]
    public async Task A_remote_or_forwarded_scrape_gets_no_metrics_and_without_the_setting_nobody_does()
    {
        await using (var app = App(prometheus: true))
        {
            Assert.DoesNotContain("# TYPE", (await ScrapeAsync(app, IPAddress.Parse("203.0.113.7"))).Body, StringComparison.Ordinal);
            Assert.DoesNotContain("# TYPE", (await ScrapeAsync(app, IPAddress.Loopback, forwardedFor: "203.0.113.7")).Body, StringComparison.Ordinal);
            using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
            using var answer = await anonymous.GetAsync("/metrics"); // TestServer's client has no peer address
            Assert.NotEqual(HttpStatusCode.OK, answer.StatusCode);
        }
        await using (var app = App(prometheus: false))
        {
            Assert.DoesNotContain("# TYPE", (await ScrapeAsync(app, IPAddress.Loopback)).Body, StringComparison.Ordinal);
        }
    }

    /// <summary>GET /metrics from <paramref name="peer"/>, set on the connection as Kestrel would.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(CrmAppFactory app, IPAddress peer, string? forwardedFor = null)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/metrics";
            c.Connection.RemoteIpAddress = peer;
            if (forwardedFor is not null)
            {
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
            }
        });
        using var reader = new StreamReader(context.Response.Body);
        return ((HttpStatusCode)context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    /// <summary>The sum of a Prometheus metric's samples (over all label sets, or those containing <paramref name="label"/>).</summary>
    private static double Sum(string exposition, string metric, string? label = null) => exposition
        .Split('\n')
        .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
        .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
        .Sum(SampleValue);

    /// <summary>A sample line is <c>name{labels} value [timestamp]</c>.</summary>
    private static double SampleValue(string line)
    {
        var afterLabels = line.Contains('{', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[line.IndexOf(' ', StringComparison.Ordinal)..];
        return double.Parse(afterLabels.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
