using System.Collections.Concurrent;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CrmBlazor.Tests.Hosting;

/// <summary>SPEC I1: a log line written while serving a request carries that request's trace id.</summary>
public sealed class LogTraceIdTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_request_log_of_each_request_carries_its_own_trace_id()
    {
        var captured = new CapturingLoggerProvider();
        await using var factory = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        await using var app = factory.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(captured)));
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });

        await client.GetAsync("/account/signin");
        await client.GetAsync("/health/live");

        var requestLogs = captured.Entries.Where(e => e.Category == "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware").ToList();
        Assert.Equal(2, requestLogs.Count);
        Assert.All(requestLogs, e => Assert.Matches("^[0-9a-f]{32}$", e.TraceId));
        Assert.NotEqual(requestLogs[0].TraceId, requestLogs[1].TraceId);
    }

    private sealed record Entry(string Category, string? TraceId);

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
                provider.Entries.Enqueue(new Entry(category, traceId));
            }
        }
    }
}
