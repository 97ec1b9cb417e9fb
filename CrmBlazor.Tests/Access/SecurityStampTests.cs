using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Access;

/// <summary>Issue #14 (ASVS 8.3.2): the per-user security stamp follows every change of access, and only those.</summary>
public sealed class SecurityStampTests
{
    [Fact]
    public async Task Deactivating_or_changing_roles_renews_the_stamp_and_tells_every_instance()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var told = new List<UserAccessChanged>();
        using var subscription = harness.LiveEvents.Subscribe<UserAccessChanged>(e => { told.Add(e); return Task.CompletedTask; });
        var initial = await StampAsync(harness, rep.UserId!.Value);

        await harness.Get<UserAccess>(admin).SetRolesAsync(rep.UserId.Value, [Role.SalesRep, Role.Analyst]);
        var afterRoles = await StampAsync(harness, rep.UserId.Value);
        await harness.Get<UserAccess>(admin).SetRolesAsync(rep.UserId.Value, [Role.Analyst, Role.SalesRep]); // the same roles
        var afterSameRoles = await StampAsync(harness, rep.UserId.Value);
        await harness.Get<UserAccess>(admin).DeactivateAsync(rep.UserId.Value);
        var afterDeactivation = await StampAsync(harness, rep.UserId.Value);

        Assert.NotEqual(initial, afterRoles);
        Assert.Equal(afterRoles, afterSameRoles);
        Assert.NotEqual(afterRoles, afterDeactivation);
        Assert.Equal(2, told.Count);
        Assert.All(told, e => Assert.Equal(rep.UserId, e.UserId));
        Assert.All(told, e => Assert.Equal([Audience.ForUser(rep.UserId.Value)], e.Audience));
        Assert.Empty(await harness.Get<SessionStamps>(admin).OfActiveAsync([rep.UserId.Value]));
    }

    [Fact]
    public async Task Only_an_Admin_changes_access()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var before = await StampAsync(harness, rep.UserId!.Value);

        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<UserAccess>(supervisor).DeactivateAsync(rep.UserId.Value));

        Assert.Equal(before, await StampAsync(harness, rep.UserId.Value));
    }

    [Fact]
    public async Task A_sign_in_with_other_roles_or_a_team_change_renews_the_stamp_and_a_name_change_does_not()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var directory = harness.Get<UserDirectory>(SystemUser.Instance);
        await using var db = harness.NewSystemContext();
        var rep = await db.Users.AsNoTracking().SingleAsync(u => u.ExternalId == "demo-salesrep");

        var sameRoles = await directory.SignInAsync(rep.ExternalId!, rep.TenantId, "张伟（新名字）", rep.Email, rep.RoleSet);
        var otherRoles = await directory.SignInAsync(rep.ExternalId!, rep.TenantId, "张伟", rep.Email, [Role.Supervisor]);
        await using (var change = harness.NewSystemContext())
        {
            change.TeamMemberships.RemoveRange(change.TeamMemberships.Where(m => m.UserId == rep.Id));
            await change.SaveChangesAsync();
        }

        Assert.Equal(rep.SecurityStamp, sameRoles.SecurityStamp);
        Assert.NotEqual(rep.SecurityStamp, otherRoles.SecurityStamp);
        Assert.NotEqual(otherRoles.SecurityStamp, await StampAsync(harness, rep.Id));
    }

    private static async Task<string> StampAsync(DomainHarness harness, Guid userId)
    {
        await using var db = harness.NewSystemContext();
        return (await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId)).SecurityStamp;
    }
}
