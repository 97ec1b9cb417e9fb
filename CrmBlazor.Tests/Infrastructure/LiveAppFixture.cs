using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// The built server with its own SQLite file and live events through Redis (its own channel), plus the Domain
/// services wired in this test process on the same database and channel: what a second instance is to the app.
/// A change made through <see cref="Get{T}"/> reaches the app's open pages as a change on another instance would.
/// </summary>
public sealed class LiveAppFixture : IAsyncLifetime
{
    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"crm-e2e-live-{Guid.NewGuid():N}.db");
    private readonly string _channel = $"crm-e2e-live-{Guid.NewGuid():N}";
    private ServiceProvider? _services;
    private readonly Dictionary<TimeProvider, ServiceProvider> _clocked = [];
    private ConnectionMultiplexer? _redis;

    public AppProcess App { get; private set; } = null!;

    public DatabaseSettings Database => new(DatabaseProvider.Sqlite, $"Data Source={_databasePath}");

    public async Task InitializeAsync()
    {
        App = await AppProcess.StartBuiltServerAsync(_databasePath, new Dictionary<string, string>
        {
            ["Redis__Configuration"] = TestServices.Redis,
            ["Redis__Channel"] = _channel,
            // Circuits re-check their session every 5 s here (production: every minute), so the session tests are quick.
            ["Auth__RevalidationInterval"] = "00:00:05",
        });
        _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        _services = Instance(null);
    }

    private ServiceProvider Instance(TimeProvider? time)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        services.AddCrmDomain(Database);
        services.AddSingleton<LocalLiveEvents>();
        services.AddSingleton<ILiveEvents>(sp => new RedisLiveEvents(_redis!, sp.GetRequiredService<LocalLiveEvents>(), sp.GetRequiredService<ILogger<RedisLiveEvents>>(), _channel));
        services.AddScoped<ActingUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<ActingUser>().User);
        return services.BuildServiceProvider(validateScopes: true);
    }

    /// <summary>
    /// A Domain service of a second in-process instance whose clock is <paramref name="time"/> (a FakeTimeProvider on the
    /// first of a month, for the monthly jobs), acting as the system, as the jobs do.
    /// </summary>
    public T System<T>(TimeProvider time) where T : notnull
    {
        if (!_clocked.TryGetValue(time, out var services))
        {
            _clocked[time] = services = Instance(time);
        }
        return services.CreateAsyncScope().ServiceProvider.GetRequiredService<T>();
    }

    /// <summary>A Domain service of this process acting as the seeded demo user.</summary>
    public async Task<T> Get<T>(string demoUser) where T : notnull
    {
        await using var db = DomainServices.CreateSystemContext(Database, TimeProvider.System);
        var scope = _services!.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ActingUser>().User = TestUser.From(await db.Users.SingleAsync(u => u.ExternalId == demoUser));
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    /// <summary>A fresh browser context (own cookies) on this app, in the given language.</summary>
    public Task<IBrowserContext> NewContextAsync(IBrowser browser, string locale) => browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = App.BaseAddress.ToString(),
        Locale = locale,
        ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
        ViewportSize = new ViewportSize { Width = 1600, Height = 900 },
    });

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        foreach (var services in _clocked.Values)
        {
            await services.DisposeAsync();
        }
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (App is not null)
        {
            await App.DisposeAsync();
        }
        foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed class ActingUser
    {
        public ICurrentUser User { get; set; } = SystemUser.Instance;
    }
}
