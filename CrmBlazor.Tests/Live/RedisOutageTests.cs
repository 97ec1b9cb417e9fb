using System.Collections.Concurrent;
using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Live;

/// <summary>ENGINEERING.md: Redis down degrades live events only; the app starts, serves pages and says so in /health/ready.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task With_Redis_unreachable_the_app_serves_pages_reports_not_ready_and_delivers_on_this_instance()
    {
        var closedPort = TestServices.FreeTcpPort();
        await using var app = new CrmAppFactory(_database.Settings, $"127.0.0.1:{closedPort},connectTimeout=500,connectRetry=1");
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var signIn = await client.GetAsync("/account/signin");
        var ready = await client.GetAsync("/health/ready");
        var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // The app's minute jobs run at start-up and may publish their own events meanwhile (on the
        // 1st of a month in the company zone the tier evaluation does): count only this one.
        var received = new ConcurrentQueue<LiveEvent>();
        var events = app.Services.GetRequiredService<ILiveEvents>();
        using var subscription = events.Subscribe(e => { received.Enqueue(e); return Task.CompletedTask; });
        var published = new PermissionsChanged();
        await events.PublishAsync(published);
        Assert.Single(received, e => e.EventId == published.EventId);
    }
}
