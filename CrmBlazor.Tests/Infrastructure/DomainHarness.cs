using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>
/// The Domain services wired as the host wires them, over a real database, acting as a chosen user.
/// </summary>
public sealed class DomainHarness : IAsyncDisposable
{
    private readonly ServiceProvider _root;
    private readonly bool _ownsDatabase;

    private DomainHarness(TestDatabase database, ServiceProvider root, string evidenceRoot, bool ownsDatabase)
    {
        Database = database;
        _root = root;
        EvidenceRoot = evidenceRoot;
        _ownsDatabase = ownsDatabase;
    }

    public TestDatabase Database { get; }

    /// <summary>This harness's own folder for uploaded files: demand evidence and ticket attachments.</summary>
    public string EvidenceRoot { get; }
    /// <summary>Where this harness's imports keep their uploads and error workbooks.</summary>
    public string ImportRoot => Path.Combine(EvidenceRoot, "imports");

    public LocalLiveEvents LiveEvents => _root.GetRequiredService<LocalLiveEvents>();

    public static async Task<DomainHarness> CreateAsync(DatabaseProvider provider, int customers = 30, TimeProvider? time = null,
        Action<IServiceCollection>? configure = null) =>
        Build(await TestDatabase.CreateSeededAsync(provider, customers), time, ownsDatabase: true, configure);

    /// <summary>
    /// A second service host (its own DI container, context factory and live-event bus) over the database of
    /// <paramref name="other"/>: what a second app instance is to the first. It leaves the database to its owner.
    /// </summary>
    public static DomainHarness SecondHostOf(DomainHarness other, TimeProvider? time = null, Action<IServiceCollection>? configure = null) =>
        Build(other.Database, time, ownsDatabase: false, configure);

    private static DomainHarness Build(TestDatabase database, TimeProvider? time, bool ownsDatabase, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        var evidenceRoot = Path.Combine(Path.GetTempPath(), $"crm-evidence-{Guid.NewGuid():N}");
        services.AddSingleton(new CrmBlazor.Domain.Uploads.UploadStorage(evidenceRoot));
        // Imports keep their uploads beside the evidence, in small batches and limits a test can reach.
        services.AddSingleton(new CrmBlazor.Domain.Importing.ImportSettings(Path.Combine(evidenceRoot, "imports"), MaxBytes: 1024 * 1024, MaxRows: 1000, BatchSize: 10));
        services.AddCrmDomain(database.Settings);
        services.AddSingleton<LocalLiveEvents>(_ => new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddSingleton<ILiveEvents>(sp => sp.GetRequiredService<LocalLiveEvents>());
        services.AddScoped<ActingUser>();
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<ActingUser>().User);
        configure?.Invoke(services);
        return new DomainHarness(database, services.BuildServiceProvider(validateScopes: true), evidenceRoot, ownsDatabase);
    }

    /// <summary>A scope whose services act as <paramref name="user"/>.</summary>
    public AsyncServiceScope As(ICurrentUser user)
    {
        var scope = _root.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ActingUser>().User = user;
        return scope;
    }

    public T Get<T>(ICurrentUser user) where T : notnull => As(user).ServiceProvider.GetRequiredService<T>();

    /// <summary>The seeded demo user with this external id (demo-admin, demo-salesrep…).</summary>
    public async Task<TestUser> DemoUserAsync(string externalId)
    {
        await using var db = NewSystemContext();
        return TestUser.From(await db.Users.Include(u => u.Memberships).SingleAsync(u => u.ExternalId == externalId));
    }

    public CrmDbContext NewSystemContext() => DomainServices.CreateSystemContext(Database.Settings, TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        await _root.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
        if (Directory.Exists(EvidenceRoot))
        {
            Directory.Delete(EvidenceRoot, recursive: true);
        }
    }

    private sealed class ActingUser
    {
        public ICurrentUser User { get; set; } = SystemUser.Instance;
    }
}
