using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// SPEC J3 as it runs: two built server processes, A and B, on one fresh PostgreSQL database and one Redis of their
/// own (<see cref="RedisServer"/>, so a test can stop and start it), both with the jobs off. A starts first (it
/// migrates and seeds), then B. The data-protection key ring is in the database, so a sign-in on one is good on the
/// other. A test that kills a host builds its own; nothing here is shared between tests.
/// </summary>
public sealed class TwoHosts : IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly string _importRoot;

    private TwoHosts(TestDatabase database, RedisServer redis, string importRoot)
    {
        _database = database;
        Redis = redis;
        _importRoot = importRoot;
    }

    public AppProcess A { get; private set; } = null!;

    public AppProcess B { get; private set; } = null!;

    public RedisServer Redis { get; }

    public DatabaseSettings Database => _database.Settings;

    /// <summary>Starts the database, Redis, then A (with <paramref name="hostASettings"/> on top of the shared ones), then B.</summary>
    public static async Task<TwoHosts> StartAsync(IReadOnlyDictionary<string, string>? hostASettings = null)
    {
        var database = await TestDatabase.CreatePostgresAsync();
        RedisServer? redis = null;
        try
        {
            redis = await RedisServer.StartAsync();
            var hosts = new TwoHosts(database, redis, Path.Combine(Path.GetTempPath(), $"crm-two-hosts-{Guid.NewGuid():N}"));
            try
            {
                var shared = new Dictionary<string, string>
                {
                    ["Redis__Configuration"] = redis.Configuration,
                    ["Redis__Channel"] = $"crm-two-hosts-{Guid.NewGuid():N}",
                };
                hosts.A = await AppProcess.StartBuiltServerAsync(database.Settings, Path.Combine(hosts._importRoot, "a"), With(shared, hostASettings));
                hosts.B = await AppProcess.StartBuiltServerAsync(database.Settings, Path.Combine(hosts._importRoot, "b"), shared);
                return hosts;
            }
            catch
            {
                await hosts.DisposeAsync();
                throw;
            }
        }
        catch when (redis is null)
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh browser context (own cookies) whose relative URLs go to <paramref name="host"/>.</summary>
    public static Task<IBrowserContext> NewContextAsync(IBrowser browser, Uri host, string locale = "zh-CN") => browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = host.ToString(),
        Locale = locale,
        ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
        ViewportSize = new ViewportSize { Width = 1366, Height = 820 },
    });

    /// <summary>The id of a demo user's customer, the <paramref name="skip"/>-th by number.</summary>
    public async Task<Guid> CustomerOfAsync(string demoUser, int skip = 0)
    {
        await using var db = DomainServices.CreateSystemContext(Database, TimeProvider.System);
        return await db.Customers.Where(c => c.Owner!.ExternalId == demoUser).OrderBy(c => c.Number).Skip(skip).Select(c => c.Id).FirstAsync();
    }

    /// <summary>A fresh open demand on <paramref name="customerId"/> owned by <paramref name="demandOwner"/>, numbered like any other.</summary>
    public async Task<(Guid Id, string Number)> CreateDemandAsync(Guid customerId, string demandOwner, string description)
    {
        await using var db = DomainServices.CreateSystemContext(Database, TimeProvider.System);
        var ownerId = await db.Users.Where(u => u.ExternalId == demandOwner).Select(u => u.Id).SingleAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var number = $"DE{now.Year}{await NumberSequences.NextAsync(db, $"demand:{now.Year}", CancellationToken.None):0000}";
        var demand = new Demand
        {
            Number = number, CustomerId = customerId, Description = description, Type = "existing", Priority = DemandPriority.High,
            OwnerId = ownerId, ResponseDueAt = now.AddHours(5),
        };
        db.Demands.Add(demand);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (demand.Id, number);
    }

    /// <summary>Both hosts' output, for a failure message.</summary>
    public string Output => $"--- host A ---\n{A?.Output}\n--- host B ---\n{B?.Output}\n--- redis ---\n{Redis.Output}";

    private static Dictionary<string, string> With(Dictionary<string, string> shared, IReadOnlyDictionary<string, string>? extra)
    {
        var all = new Dictionary<string, string>(shared);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        return all;
    }

    public async ValueTask DisposeAsync()
    {
        if (B is not null)
        {
            await B.DisposeAsync();
        }
        if (A is not null)
        {
            await A.DisposeAsync();
        }
        await Redis.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_importRoot))
        {
            Directory.Delete(_importRoot, recursive: true);
        }
    }
}
