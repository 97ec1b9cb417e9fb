using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmBlazor.Tests.Hosting;

/// <summary>
/// SPEC I1: the access log (docs/decisions/0023) — a line for every write, failure and slow request, carrying that request's
/// trace id; none for a fast, successful read unless <c>AccessLog:AllRequests</c>.
/// </summary>
public sealed class LogTraceIdTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private const string AccessLogCategory = "CrmBlazor.Server.Hosting.AccessLog";

    [Fact]
    public async Task Writes_and_failures_get_an_access_log_line_with_their_own_trace_id_and_fast_successful_reads_none()
    {
        var captured = new CapturingLoggerProvider();
        await using var factory = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(captured)));
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/signin")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/customers")).StatusCode);
        var post = await client.PostAsync("/api/v1/customers", JsonContent.Create(new { name = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);

        var lines = captured.Entries.Where(e => e.Category == AccessLogCategory).ToList();
        Assert.Equal(["GET /api/v1/customers answered 401", "POST /api/v1/customers answered 401"], lines.Select(e => e.Message[..e.Message.LastIndexOf(" in ", StringComparison.Ordinal)]));
        Assert.All(lines, e => Assert.Matches("^[0-9a-f]{32}$", e.TraceId));
        Assert.NotEqual(lines[0].TraceId, lines[1].TraceId);
    }

    [Fact]
    public async Task With_AllRequests_every_request_gets_its_line()
    {
        var captured = new CapturingLoggerProvider();
        await using var factory = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false", ["AccessLog:AllRequests"] = "true" });
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(captured)));
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        await client.GetAsync("/account/signin");
        await client.GetAsync("/health/live");

        var lines = captured.Entries.Where(e => e.Category == AccessLogCategory).Select(e => e.Message).ToList();
        Assert.Equal(2, lines.Count);
        Assert.StartsWith("GET /account/signin answered 200 in ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("GET /health/live answered 200 in ", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", 200, 10, false, true)]
    [InlineData("HEAD", 304, 10, false, true)]
    [InlineData("OPTIONS", 204, 10, false, true)]
    [InlineData("GET", 404, 10, false, false)]
    [InlineData("GET", 500, 10, false, false)]
    [InlineData("GET", 200, 1000, false, false)] // slow: SlowAfter is 1 s
    [InlineData("POST", 201, 10, false, false)]
    [InlineData("PUT", 200, 10, false, false)]
    [InlineData("DELETE", 204, 10, false, false)]
    [InlineData("POST", 200, 10, true, true)]          // a circuit's negotiate
    [InlineData("GET", 101, 3_600_000, true, true)]    // a circuit's hour-long connection
    [InlineData("POST", 401, 10, true, false)]         // a hub refused
    public void Only_fast_successful_reads_and_circuits_that_were_not_refused_are_quiet(string method, int status, int milliseconds, bool longLived, bool quiet) =>
        Assert.Equal(quiet, AccessLog.IsQuiet(method, status, TimeSpan.FromMilliseconds(milliseconds), longLived, new AccessLogOptions()));

    private sealed record Entry(string Category, string Message, string? TraceId);

    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string? traceId = null;
                provider._scopes?.ForEachScope((scope, _) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> values && values.FirstOrDefault(v => v.Key == "TraceId").Value is { } id)
                    {
                        traceId = id.ToString();
                    }
                }, (object?)null);
                provider.Entries.Enqueue(new Entry(category, formatter(state, exception), traceId));
            }
        }
    }
}
