using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Culture;

/// <summary>SPEC J1: a user may choose their own display zone; their circuits show times in it, others keep the company's.</summary>
public sealed class UserTimeZoneTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero));

    private DisplayTime NewCircuitTimes() => new(new CompanyClock(_time, Options.Create(new CompanyOptions())));

    [Fact]
    public async Task A_chosen_zone_is_kept_and_a_new_circuit_of_that_user_shows_times_in_it()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, _time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var colleague = await harness.DemoUserAsync("demo-supervisor");

        await harness.Get<UserPreferences>(rep).SetTimeZoneAsync("Europe/Berlin");

        var times = NewCircuitTimes();
        await new DisplayTimeCircuitHandler(times, harness.Get<UserPreferences>(rep)).OnCircuitOpenedAsync(null!, CancellationToken.None);
        Assert.Equal("Europe/Berlin", times.Zone.Id);
        Assert.Equal("2026-12-01 16:30:00", times.Precise(new DateTime(2026, 12, 1, 15, 30, 0, DateTimeKind.Utc)));

        var theirs = NewCircuitTimes();
        await new DisplayTimeCircuitHandler(theirs, harness.Get<UserPreferences>(colleague)).OnCircuitOpenedAsync(null!, CancellationToken.None);
        Assert.Equal("Asia/Shanghai", theirs.Zone.Id);
    }

    [Fact]
    public async Task Clearing_the_zone_goes_back_to_the_company_s_and_an_unknown_zone_is_refused()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, _time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var preferences = harness.Get<UserPreferences>(rep);
        await preferences.SetTimeZoneAsync("America/New_York");

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => preferences.SetTimeZoneAsync("Mars/Olympus_Mons"));
        Assert.Equal("Validation.TimeZoneUnknown", Assert.Single(refused.Errors).MessageKey);
        Assert.Equal("America/New_York", await preferences.TimeZoneAsync());

        await preferences.SetTimeZoneAsync("  ");
        Assert.Null(await preferences.TimeZoneAsync());
        await using var db = harness.NewSystemContext();
        Assert.Null(await db.Users.Where(u => u.Id == rep.UserId).Select(u => u.TimeZone).SingleAsync());
    }
}
