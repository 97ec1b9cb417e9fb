using System.Net.Http.Headers;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Api;

/// <summary>The real app over a fresh seeded database of one provider, on a fake clock, with helpers to issue keys and call the API.</summary>
public sealed class ApiTestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2031, 3, 10, 1, 0, 0, TimeSpan.Zero);

    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ApiTestApp(TestDatabase database, FakeTimeProvider clock, IReadOnlyDictionary<string, string?>? settings)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        Database = database;
        Clock = clock;
        Tokens = new EntraTokens(clock);
        Factory = NewHost();
    }

    public TestDatabase Database { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>Mints the Entra tokens every host of this app trusts.</summary>
    public EntraTokens Tokens { get; }
    public CrmAppFactory Factory { get; }

    /// <param name="settings">Host settings of every instance (limits a test wants small).</param>
    public static async Task<ApiTestApp> CreateAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(await TestDatabase.CreateAsync(provider), new FakeTimeProvider(Start), settings);

    /// <summary>Another app instance over the same database and clock: what a second server behind the balancer is.</summary>
    public CrmAppFactory NewHost() =>
        new(Database.Settings, time: Clock, testServices: Tokens.Trust,
            settings: new Dictionary<string, string?>(_settings) { ["Jobs:Enabled"] = "false" });

    public CrmDbContext NewSystemContext() => DomainServices.CreateSystemContext(Database.Settings, Clock);

    /// <summary>Runs <paramref name="action"/> with a service of the app acting as a demo user, as a page would.</summary>
    public async Task<TResult> AsAsync<TService, TResult>(string demoUser, Func<TService, Task<TResult>> action) where TService : notnull
    {
        _ = Factory.Server; // migrates and seeds
        await using var scope = Factory.Services.CreateAsyncScope();
        await using (var db = NewSystemContext())
        {
            CrmAppFactory.ActAs(scope, db, demoUser);
        }
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <param name="expiresAt">90 days from <see cref="Start"/> unless given: a test that lets a key expire gives it a near expiry,
    /// since moving the hosts' fake clock by days fires their one-second timers millions of times.</param>
    public Task<IssuedApiKey> IssueKeyAsync(string name, Role role, Guid? teamId = null, DateTime? expiresAt = null) =>
        AsAsync<ApiKeyService, IssuedApiKey>("demo-admin", keys => keys.IssueAsync(new ApiKeyInput(name, role, teamId, expiresAt ?? Start.UtcDateTime.AddDays(90))));

    /// <summary>The team demo-supervisor leads (demo-salesrep is in it).</summary>
    public async Task<Guid> SupervisedTeamAsync()
    {
        _ = Factory.Server;
        await using var db = NewSystemContext();
        return await db.TeamMemberships.Where(m => m.User!.ExternalId == "demo-supervisor" && m.IsSupervisor).Select(m => m.TeamId).FirstAsync();
    }

    /// <summary>A client of <paramref name="host"/> (this app's by default) carrying <paramref name="token"/> as a bearer token, or nothing.</summary>
    public HttpClient Client(string? token, string? language = null, CrmAppFactory? host = null)
    {
        var client = (host ?? Factory).CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}
