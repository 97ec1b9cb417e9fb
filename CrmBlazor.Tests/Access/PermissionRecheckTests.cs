using System.Diagnostics;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Access;

/// <summary>Issue #12 §2: a permission change reaches every instance even when the pub/sub message is lost.</summary>
public sealed class PermissionRecheckTests
{
    [Fact]
    public async Task Every_change_bumps_the_stored_stamp_and_an_instance_that_missed_the_message_catches_up_on_its_next_check()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        var otherInstance = new Permissions(harness.Database.Settings, TimeProvider.System); // no bus reaches it
        await otherInstance.ReloadAsync();
        var before = otherInstance.Stamp;

        await harness.Get<PermissionAdmin>(admin).SetAsync(Role.Analyst, Module.Reports, Operation.Export, allowed: false);

        Assert.True(otherInstance.Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));
        Assert.True(await otherInstance.RefreshIfChangedAsync());
        Assert.False(otherInstance.Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));
        Assert.Equal(before + 1, otherInstance.Stamp);
        Assert.False(await otherInstance.RefreshIfChangedAsync()); // nothing new: no reload
        await using var db = harness.NewSystemContext();
        Assert.Equal(before + 1, (await db.PermissionMatrixStamps.SingleAsync()).Stamp);
    }

    [Fact]
    public async Task A_change_on_host_A_whose_message_never_reaches_host_B_is_enforced_on_B_within_a_minute()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        // No Redis, and the outbox read once a day: each host's live events stay in its own process, as if every message
        // between them were lost. (With the default 1 s catch-up, host B would replay A's PermissionsChanged from the
        // outbox at a moment set by the real clock, and this test would not be about the recheck.)
        CrmAppFactory Host() => new(database.Settings, settings: new Dictionary<string, string?>
        {
            ["Jobs:Enabled"] = "false",
            ["LiveEvents:CatchUpInterval"] = "1.00:00:00",
        }, time: clock);
        await using var hostA = Host();
        await using var hostB = Host();
        _ = hostA.Server;
        _ = hostB.Server;
        var permissionsB = hostB.Services.GetRequiredService<Permissions>();
        Assert.True(permissionsB.Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));

        await using (var scope = hostA.Services.CreateAsyncScope())
        {
            await using var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System);
            CrmAppFactory.ActAs(scope, db, "demo-admin");
            await scope.ServiceProvider.GetRequiredService<PermissionAdmin>().SetAsync(Role.Analyst, Module.Reports, Operation.Export, false);
        }
        Assert.False(hostA.Services.GetRequiredService<Permissions>().Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));
        clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(200); // room for a check that should not happen yet
        Assert.True(permissionsB.Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));

        clock.Advance(TimeSpan.FromSeconds(1));

        await WithinSecondsAsync(10, () => !permissionsB.Matrix.IsAllowed(Role.Analyst, Module.Reports, Operation.Export));
        var analyst = new TestUser(Guid.NewGuid(), "赵磊", [], new HashSet<Role> { Role.Analyst });
        Assert.Throws<CrmBlazor.Domain.Common.AccessDeniedException>(() => permissionsB.Demand(analyst, Module.Reports, Operation.Export));
    }

    private static async Task WithinSecondsAsync(int seconds, Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(seconds), $"Host B did not reload within {seconds} seconds of the check.");
            await Task.Delay(20);
        }
    }
}
