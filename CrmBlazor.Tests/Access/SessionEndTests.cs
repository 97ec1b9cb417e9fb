using System.Net;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Jobs;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Access;

/// <summary>
/// Issue #14, sessions that end when access ends (ASVS 8.3.2), over HTTP and the live hub: the cookie's security stamp
/// against the stored one, and the cookie's absolute lifetime.
/// </summary>
public sealed class SessionEndTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private CrmAppFactory Host(TimeProvider? time = null) =>
        new(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" }, time: time);

    [Fact]
    public async Task A_deactivated_users_next_request_is_refused_and_they_cannot_sign_in_again()
    {
        await using var app = Host();
        var client = await app.SignedInClientAsync("demo-salesrep");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);

        await AsAdminAsync(app, (access, rep) => access.DeactivateAsync(rep));
        var after = await client.GetAsync("/customers");

        AssertSentToSignIn(after);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => app.SignedInClientAsync("demo-salesrep")); // no longer offered
    }

    [Fact]
    public async Task A_removed_role_ends_the_session_and_the_next_sign_in_carries_only_the_roles_left()
    {
        await using var app = Host();
        var client = await app.SignedInClientAsync("demo-supervisor");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/tags")).StatusCode); // tags are a Supervisor's

        await AsAdminAsync(app, (access, user) => access.SetRolesAsync(user, [Role.SalesRep]), target: "demo-supervisor");
        var after = await client.GetAsync("/admin/tags");
        var again = await app.SignedInClientAsync("demo-supervisor");
        var tags = await again.GetAsync("/admin/tags");

        AssertSentToSignIn(after);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, tags.StatusCode);
        Assert.StartsWith("/account/denied", tags.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_is_refused_after_the_absolute_lifetime_of_ten_hours_however_active_the_user()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 0, 30, 0, TimeSpan.Zero));
        await using var app = Host(clock);
        var client = await app.SignedInClientAsync("demo-salesrep");

        var times = new List<HttpStatusCode>();
        for (var hour = 0; hour < 9; hour++)
        {
            clock.Advance(TimeSpan.FromHours(1)); // a request every hour keeps the sliding cookie fresh
            times.Add((await client.GetAsync("/")).StatusCode);
        }
        clock.Advance(TimeSpan.FromMinutes(59));
        var justBefore = await client.GetAsync("/");
        clock.Advance(TimeSpan.FromMinutes(1));
        var atTenHours = await client.GetAsync("/");

        Assert.All(times, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, justBefore.StatusCode);
        AssertSentToSignIn(atTenHours);
    }

    [Fact]
    public async Task A_deactivated_users_hub_connection_is_closed_and_cannot_reconnect()
    {
        await using var app = Host();
        var cookie = await app.SignInCookieAsync("demo-salesrep");
        await using var connection = await ConnectAsync(app, cookie);
        var closed = ClosedAsync(connection);

        await AsAdminAsync(app, (access, rep) => access.DeactivateAsync(rep));

        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
        await using var retry = Connection(app, cookie);
        await Assert.ThrowsAnyAsync<Exception>(() => retry.StartAsync());
    }

    [Fact]
    public async Task A_change_of_access_that_no_message_announces_closes_the_hub_connection_at_the_next_check()
    {
        await using var app = Host();
        await using var connection = await ConnectAsync(app, await app.SignInCookieAsync("demo-supervisor"));
        var closed = ClosedAsync(connection);
        var sweeper = app.Services.GetServices<IHostedService>().OfType<SessionRevocationHost>().Single();

        await sweeper.SweepAsync(CancellationToken.None); // nothing changed: the connection stays
        Assert.Equal(HubConnectionState.Connected, connection.State);
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            var supervisor = await db.Users.SingleAsync(u => u.ExternalId == "demo-supervisor");
            db.TeamMemberships.RemoveRange(db.TeamMemberships.Where(m => m.UserId == supervisor.Id)); // straight to the database
            await db.SaveChangesAsync();
        }
        await sweeper.SweepAsync(CancellationToken.None);

        await closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    private async Task AsAdminAsync(CrmAppFactory app, Func<UserAccess, Guid, Task> change, string target = "demo-salesrep")
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        CrmAppFactory.ActAs(scope, db, "demo-admin");
        var user = await db.Users.SingleAsync(u => u.ExternalId == target);
        await change(scope.ServiceProvider.GetRequiredService<UserAccess>(), user.Id);
    }

    private static Task ClosedAsync(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private static async Task<HubConnection> ConnectAsync(CrmAppFactory app, string cookie)
    {
        var connection = Connection(app, cookie);
        await connection.StartAsync();
        return connection;
    }

    private static HubConnection Connection(CrmAppFactory app, string cookie) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/live"), HttpTransportType.LongPolling, o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Headers["Cookie"] = cookie;
        })
        .Build();
}
