using System.Net;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// SPEC I1: structured request logs that carry the trace id (writes, failures and slow requests: <see cref="AccessLog"/>), <c>/health/live</c> and <c>/health/ready</c>,
/// OpenTelemetry traces and metrics (ASP.NET Core, HttpClient, EF Core, Redis, runtime and <see cref="CrmMetrics"/>),
/// and this instance's request timings and circuits for the status page.
/// <list type="bullet">
/// <item><c>OpenTelemetry:Endpoint</c> (e.g. <c>http://collector:4317</c>): traces, metrics and logs go there over OTLP;
/// unset, nothing is exported and no tracer runs.</item>
/// <item><c>OpenTelemetry:Prometheus:Enabled=true</c>: <c>GET /metrics</c> in Prometheus text format, answered only to a
/// request from a loopback address that no proxy forwarded (a scraper on the same host or pod). Anyone else gets the
/// app's ordinary answer for an unknown page. Cheaper to reason about than a token: run the scraper beside the app.</item>
/// </list>
/// </summary>
public static class ObservabilityHosting
{
    private const string Ready = "ready";
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddCrmObservability(this WebApplicationBuilder builder)
    {
        // Every log line written inside a request or a traced operation carries its trace and span ids.
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = true);
        }
        builder.Services.Configure<AccessLogOptions>(builder.Configuration.GetSection("AccessLog"));
        builder.Services.AddSingleton<AccessLog>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<RedisHealthCheck>("redis", tags: [Ready]);

        builder.Services.AddSingleton<InstanceInfo>();
        builder.Services.AddSingleton<RequestTimings>();
        builder.Services.AddSingleton<InstanceCircuits>();
        builder.Services.AddScoped<CircuitHandler, CircuitCountingHandler>();
        builder.Services.AddScoped<Features.Status.InstanceStatus>();
        builder.AddCrmOpenTelemetry();
        return builder;
    }

    private static void AddCrmOpenTelemetry(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OpenTelemetry:Endpoint"];
        var otlp = !string.IsNullOrWhiteSpace(endpoint);
        var prometheus = builder.Configuration.GetValue("OpenTelemetry:Prometheus:Enabled", false);
        var redis = !string.IsNullOrWhiteSpace(builder.Configuration["Redis:Configuration"]);
        if (!otlp && !prometheus)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("CrmBlazor", serviceVersion: InstanceInfo.InformationalVersion, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter("Microsoft.EntityFrameworkCore", "Npgsql", CrmMetrics.MeterName);
                if (otlp)
                {
                    metrics.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint!));
                }
                if (prometheus)
                {
                    metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }
            });
        if (!otlp)
        {
            return;
        }
        telemetry.WithTracing(tracing =>
        {
            tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation();
            if (redis)
            {
                tracing.AddRedisInstrumentation(); // the IConnectionMultiplexer LiveHosting registers
            }
            tracing.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint!));
        });
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
            o.AddOtlpExporter(e => e.Endpoint = new Uri(endpoint!));
        });
    }

    public static WebApplication UseCrmObservability(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }
        _ = app.Services.GetRequiredService<InstanceInfo>(); // uptime counts from here
        if (app.Configuration.GetValue("OpenTelemetry:Prometheus:Enabled", false))
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(IsLocalScrape);
        }
        app.UseCrmRequestTimings();
        return app;
    }

    /// <summary>
    /// Times each request: the status page's <see cref="RequestTimings"/> (long-lived connections and probes left out) and
    /// the <see cref="AccessLog"/>.
    /// </summary>
    private static void UseCrmRequestTimings(this WebApplication app)
    {
        var timings = app.Services.GetRequiredService<RequestTimings>();
        var accessLog = app.Services.GetRequiredService<AccessLog>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            var longLived = path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/hubs");
            var timed = !longLived && !IsProbe(path);
            var started = time.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true; // the exception handler further out answers 500
                throw;
            }
            finally
            {
                var elapsed = time.GetElapsedTime(started);
                if (timed)
                {
                    timings.Record(elapsed);
                }
                accessLog.Record(context, failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode, elapsed, longLived);
            }
        });
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);

    /// <summary>A scrape from this host itself: a loopback peer, and no proxy in between (a forwarded request keeps its header
    /// unless a known proxy's header was applied, and then the peer is the client's address).</summary>
    internal static bool IsLocalScrape(HttpContext context) =>
        context.Request.Path == MetricsPath
        && context.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For");

    public static WebApplication MapCrmHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) }).AllowAnonymous();
        return app;
    }

    private sealed class DatabaseHealthCheck(DatabaseSettings database, TimeProvider time) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var db = DomainServices.CreateSystemContext(database, time);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{database.Provider} reachable")
                : HealthCheckResult.Unhealthy($"{database.Provider} unreachable");
        }
    }

    /// <summary>Healthy when Redis is not configured; otherwise a PING must answer.</summary>
    private sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<IConnectionMultiplexer>() is not { } redis)
            {
                return HealthCheckResult.Healthy("Redis not configured: live events stay in this instance");
            }
            try
            {
                var latency = await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy($"Redis PING {latency.TotalMilliseconds:F1} ms");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("Redis unreachable: live events do not cross instances", ex);
            }
        }
    }
}
