using System.Globalization;
using System.Security.Claims;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Access;

/// <summary>Issue #14: how long a request may trust a stamp read earlier, and what clears it.</summary>
public sealed class SessionCheckTests
{
    [Fact]
    public async Task A_request_trusts_a_cached_stamp_for_thirty_seconds_unless_the_change_was_announced_and_circuits_always_read_it_fresh()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, time: clock);
        var check = new SessionCheck(new SessionStamps(harness.Database.Settings, clock), Options.Create(new AuthSessionOptions()), clock);
        var circuits = new SessionCheck(new SessionStamps(harness.Database.Settings, clock), Options.Create(new AuthSessionOptions()), clock);
        await using var db = harness.NewSystemContext();
        var rep = await db.Users.SingleAsync(u => u.ExternalId == "demo-salesrep");
        var session = Principal(rep.Id, rep.SecurityStamp, clock.GetUtcNow());
        Assert.Equal(SessionVerdict.Valid, await check.CheckAsync(session, cached: true));
        Assert.Equal(SessionVerdict.Valid, await circuits.CheckAsync(session, cached: true));

        rep.Roles = "Analyst"; // straight to the database, unannounced: only the cache's age or a fresh read finds it
        await db.SaveChangesAsync();
        var atOnce = await check.CheckAsync(session, cached: true);
        var circuitAtOnce = await circuits.CheckAsync(session, cached: false);
        clock.Advance(TimeSpan.FromSeconds(29));
        var at29Seconds = await check.CheckAsync(session, cached: true);
        clock.Advance(TimeSpan.FromSeconds(1));
        var at30Seconds = await check.CheckAsync(session, cached: true);

        Assert.Equal(SessionVerdict.Valid, atOnce);
        Assert.Equal(SessionVerdict.Revoked, circuitAtOnce);
        Assert.Equal(SessionVerdict.Valid, at29Seconds);
        Assert.Equal(SessionVerdict.Revoked, at30Seconds);
    }

    [Fact]
    public async Task An_announced_change_is_seen_by_the_next_request_at_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, time: clock);
        var check = new SessionCheck(new SessionStamps(harness.Database.Settings, clock), Options.Create(new AuthSessionOptions()), clock);
        await using var db = harness.NewSystemContext();
        var rep = await db.Users.SingleAsync(u => u.ExternalId == "demo-salesrep");
        var session = Principal(rep.Id, rep.SecurityStamp, clock.GetUtcNow());
        Assert.Equal(SessionVerdict.Valid, await check.CheckAsync(session, cached: true));

        rep.Roles = "Analyst";
        await db.SaveChangesAsync();
        var beforeAnnouncement = await check.CheckAsync(session, cached: true);
        check.Forget(rep.Id); // what UserAccessChanged does on every instance
        var afterAnnouncement = await check.CheckAsync(session, cached: true);

        Assert.Equal(SessionVerdict.Valid, beforeAnnouncement);
        Assert.Equal(SessionVerdict.Revoked, afterAnnouncement);
    }

    [Fact]
    public async Task A_session_without_a_stamp_or_a_sign_in_time_is_not_valid()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, time: clock);
        var check = new SessionCheck(new SessionStamps(harness.Database.Settings, clock), Options.Create(new AuthSessionOptions()), clock);
        await using var db = harness.NewSystemContext();
        var rep = await db.Users.AsNoTracking().SingleAsync(u => u.ExternalId == "demo-salesrep");
        var withoutStamp = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(CrmClaims.UserId, rep.Id.ToString()), new Claim(CrmClaims.SignedInAt, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))], "test"));
        var withoutTime = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(CrmClaims.UserId, rep.Id.ToString()), new Claim(CrmClaims.SecurityStamp, rep.SecurityStamp)], "test"));

        Assert.Equal(SessionVerdict.Revoked, await check.CheckAsync(withoutStamp, cached: false));
        Assert.Equal(SessionVerdict.Expired, await check.CheckAsync(withoutTime, cached: false));
    }

    private static ClaimsPrincipal Principal(Guid userId, string stamp, DateTimeOffset signedInAt) => new(new ClaimsIdentity(
    [
        new Claim(CrmClaims.UserId, userId.ToString()),
        new Claim(CrmClaims.SecurityStamp, stamp),
        new Claim(CrmClaims.SignedInAt, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ], "test"));
}
