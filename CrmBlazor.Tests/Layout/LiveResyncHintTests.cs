using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Server.Components.Layout;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace CrmBlazor.Tests.Layout;

/// <summary>
/// Issue #19, resynchronise after a gap: when this instance may have missed live events (its Redis subscription came
/// back), every open listener re-reads its data and the layout shows a short "reconnected" hint.
/// </summary>
public sealed class LiveResyncHintTests : MudTestContext
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));

    public LiveResyncHintTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        Services.AddSingleton<TimeProvider>(_clock);
    }

    [Fact]
    public async Task A_resync_shows_a_short_reconnected_hint_at_most_once_every_few_seconds()
    {
        var events = new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance);
        Services.AddSingleton<ILiveEvents>(events);
        Services.AddSingleton<ICurrentUser>(new TestUser(Guid.NewGuid(), "张伟", [], new HashSet<Role> { Role.SalesRep }));
        var snackbars = Render<MudSnackbarProvider>();
        Render<LiveResyncHint>();
        Assert.Empty(snackbars.FindAll(".crm-live-resynced"));

        await events.ResyncAsync("redis-reconnected");

        var hint = snackbars.WaitForElement(".crm-live-resynced");
        Assert.Equal("实时更新已恢复，页面已刷新。", hint.TextContent.Trim());
        Assert.Contains("mud-alert-filled-info", hint.ClassName, StringComparison.Ordinal);

        // A second gap right after (Redis flapping) adds nothing; the hint goes by itself within seconds (MudBlazor's
        // snackbar timer runs on the TimeProvider), and a gap after that says it again.
        _clock.Advance(TimeSpan.FromSeconds(2));
        await events.ResyncAsync("redis-reconnected");
        Assert.Single(snackbars.FindAll(".crm-live-resynced"));
        _clock.Advance(LiveResyncHint.QuietFor);
        snackbars.WaitForAssertion(() => Assert.Empty(snackbars.FindAll(".crm-live-resynced")));
        await events.ResyncAsync("redis-reconnected");
        snackbars.WaitForElement(".crm-live-resynced");
    }

    [Fact]
    public async Task A_resync_makes_the_bell_re_read_a_notification_no_event_announced_and_shows_the_hint()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1, time: _clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Services.AddSingleton<ILiveEvents>(harness.LiveEvents);
        Services.AddSingleton<ICurrentUser>(rep);
        Services.AddSingleton(harness.Get<NotificationService>(rep));
        var snackbars = Render<MudSnackbarProvider>();
        Render<LiveResyncHint>();
        var bell = RenderWithPopovers<NotificationBell>();
        Assert.Empty(bell.FindAll(".crm-bell-badge .mud-badge"));

        // Stored while this instance heard nothing: as if its NotificationsChanged was lost in a Redis outage.
        await using (var db = harness.NewSystemContext())
        {
            db.Notifications.Add(new Notification
            {
                UserId = rep.UserId!.Value, Kind = NotificationKinds.TodoAssigned, Values = "[\"刘芳\",\"回访\",\"青岛测试客户\"]",
                Subject = NotificationSubject.Customers.ToString(), DedupKey = "missed-while-redis-was-down", CreatedAt = _clock.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
        }
        Assert.Empty(bell.FindAll(".crm-bell-badge .mud-badge"));

        await harness.LiveEvents.ResyncAsync("redis-reconnected");

        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find(".crm-bell-badge .mud-badge").TextContent.Trim()));
        Assert.Single(snackbars.FindAll(".crm-live-resynced"));
    }
}
