using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// SPEC J3 under faults (issue 19), in Chromium against two built server processes on PostgreSQL and a Redis of the
/// test's own: Redis stopped and started, an instance killed between its commit and its publish, an instance killed
/// under an open page. Each test starts its own pair of hosts: they break them.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class LiveFaultTests(BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>How late another instance may show a change after the fault ends (the acceptance).</summary>
    private const int WithinMs = 5000;

    /// <summary>Room for a duplicate (a second delivery, a replay after a resync) to show up, were there one.</summary>
    private const int DuplicateWindowMs = 2500;

    /// <summary>The test's own contexts only read what the hosts saved: a fixed clock, never the wall clock.</summary>
    private static readonly FakeTimeProvider ReadOnly = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

    private static readonly LocatorDragToOptions TopOfZone = new() { TargetPosition = new TargetPosition { X = 40, Y = 4 } };

    [Fact]
    public async Task With_Redis_stopped_a_card_moved_and_a_to_do_assigned_on_host_A_show_once_on_host_B_within_5_s_of_Redis_coming_back()
    {
        await using var hosts = await TwoHosts.StartAsync();
        var customerId = await hosts.CustomerOfAsync("demo-salesrep2", skip: 1);
        var (_, number) = await hosts.CreateDemandAsync(customerId, "demo-salesrep2", "故障测试：Redis 停机期间被移动的需求");
        const string todo = "故障测试：Redis 停机期间分配的待办";
        await using var supervisorOnA = await TwoHosts.NewContextAsync(browser.Browser, hosts.A.BaseAddress);
        await using var supervisorOnB = await TwoHosts.NewContextAsync(browser.Browser, hosts.B.BaseAddress);
        await using var assigneeOnB = await TwoHosts.NewContextAsync(browser.Browser, hosts.B.BaseAddress);
        var author = await supervisorOnA.NewPageAsync();
        var board = await supervisorOnB.NewPageAsync();
        var assignee = await assigneeOnB.NewPageAsync();
        await BrowserFixture.SignInAsync(author, "demo-supervisor");
        await BrowserFixture.SignInAsync(board, "demo-supervisor");
        await BrowserFixture.SignInAsync(assignee, "demo-salesrep2");
        foreach (var page in new[] { author, board })
        {
            await page.GotoAsync("/demands");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
        }
        var card = board.Locator($".crm-demand-card[data-number='{number}']");
        await Assertions.Expect(board.Locator($"[data-status='Open'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync();
        var unreadBefore = await UnreadAsync(assignee);

        await hosts.Redis.StopAsync();
        await author.Locator($".crm-demand-card[data-number='{number}']").DragToAsync(author.Locator("[data-status='InProgress'] .crm-board-zone"), TopOfZone);
        await Assertions.Expect(author.Locator($"[data-status='InProgress'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync();
        await AssignToDoAsync(author, customerId, todo, "刘芳");
        await using (var db = DomainServices.CreateSystemContext(hosts.Database, ReadOnly))
        {
            // Saved, and given to the other rep: so there is a bell's event to publish.
            var ownerId = await db.Todos.Where(t => t.What == todo).Select(t => t.OwnerId).SingleAsync();
            Assert.Equal("demo-salesrep2", await db.Users.Where(u => u.Id == ownerId).Select(u => u.ExternalId).SingleAsync());
        }
        // The fault took: A could not publish through Redis (it told its own pages only). A's log reaches this process
        // through its redirected output a moment after the page has answered.
        await OutputContainsAsync(hosts.A, "Redis is unreachable: DemandChanged");
        await OutputContainsAsync(hosts.A, "Redis is unreachable: NotificationsChanged");
        await BrowserFixture.ScreenshotAsync(author, "live-fault-redis-down-host-a-zh");
        var boardBeforeRestart = await board.Locator($"[data-status='InProgress'] .crm-demand-card[data-number='{number}']").CountAsync();
        var unreadBeforeRestart = await UnreadAsync(assignee);
        await BrowserFixture.ScreenshotAsync(board, "live-fault-redis-down-host-b-board-zh");

        await hosts.Redis.StartAgainAsync();
        var sinceRestart = Stopwatch.StartNew();

        await Assertions.Expect(board.Locator($"[data-status='InProgress'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync(new() { Timeout = WithinMs });
        var boardShown = sinceRestart.Elapsed;
        await Assertions.Expect(Badge(assignee)).ToHaveTextAsync(Count(unreadBefore + 1), new() { Timeout = Remaining(sinceRestart) });
        var bellShown = sinceRestart.Elapsed;
        output.WriteLine($"Redis down on A: before Redis came back, B's board showed the move {boardBeforeRestart}x, B's bell read {unreadBeforeRestart} (was {unreadBefore}).");
        output.WriteLine($"After Redis started: board on B after {boardShown.TotalMilliseconds:0} ms, bell on B after {bellShown.TotalMilliseconds:0} ms.");

        // Both hosts' Redis connections back (their readiness PINGs Redis), so the resync that follows has happened
        // inside the window in which a duplicate would show.
        await Task.WhenAll(hosts.A.WaitUntilReadyAsync(TimeSpan.FromSeconds(30)), hosts.B.WaitUntilReadyAsync(TimeSpan.FromSeconds(30)));
        output.WriteLine($"Both hosts reached Redis again {sinceRestart.Elapsed.TotalMilliseconds:0} ms after it started.");
        await board.WaitForTimeoutAsync(DuplicateWindowMs);
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await Assertions.Expect(board.Locator($"[data-status='InProgress'] .crm-demand-card[data-number='{number}']")).ToHaveCountAsync(1);
        await Assertions.Expect(Badge(assignee)).ToHaveTextAsync(Count(unreadBefore + 1));
        await assignee.Locator(".crm-bell").ClickAsync();
        await Assertions.Expect(assignee.Locator(".crm-notification", new() { HasText = todo })).ToHaveCountAsync(1);
        await Assertions.Expect(assignee.Locator(".crm-notification-unread", new() { HasText = todo })).ToContainTextAsync($"李明 给您分配了待办：{todo}");
        await BrowserFixture.ScreenshotAsync(board, "live-fault-redis-back-host-b-board-zh");
        await assignee.WaitForTimeoutAsync(400); // let the popover fade in for the screenshot
        await BrowserFixture.ScreenshotAsync(assignee, "live-fault-redis-back-host-b-bell-zh");
    }

    [Fact]
    public async Task Host_A_killed_after_committing_an_assignment_and_before_publishing_it_still_shows_on_host_B_within_5_s_and_the_assignee_is_told_once()
    {
        await using var hosts = await TwoHosts.StartAsync(new Dictionary<string, string> { ["LiveEvents__CrashBeforePublishing"] = "DemandChanged" });
        var customerId = await hosts.CustomerOfAsync("demo-salesrep2", skip: 2);
        var (demandId, number) = await hosts.CreateDemandAsync(customerId, "demo-supervisor", "故障测试：提交后、发布前宕机时改派的需求");
        await using var supervisorOnA = await TwoHosts.NewContextAsync(browser.Browser, hosts.A.BaseAddress);
        await using var supervisorOnB = await TwoHosts.NewContextAsync(browser.Browser, hosts.B.BaseAddress);
        await using var assigneeOnB = await TwoHosts.NewContextAsync(browser.Browser, hosts.B.BaseAddress);
        var author = await supervisorOnA.NewPageAsync();
        var board = await supervisorOnB.NewPageAsync();
        var assignee = await assigneeOnB.NewPageAsync();
        await BrowserFixture.SignInAsync(author, "demo-supervisor");
        await BrowserFixture.SignInAsync(board, "demo-supervisor");
        await BrowserFixture.SignInAsync(assignee, "demo-salesrep2");
        await board.GotoAsync("/demands");
        await BrowserFixture.WaitUntilInteractiveAsync(board);
        var card = board.Locator($".crm-demand-card[data-number='{number}']");
        await Assertions.Expect(card).ToContainTextAsync("李明");
        await author.GotoAsync($"/demands/{demandId}");
        await BrowserFixture.WaitUntilInteractiveAsync(author);
        var unreadBefore = await UnreadAsync(assignee);

        await BrowserFixture.ChooseAsync(author, author.Locator(".crm-demand-owner"), "刘芳", awaitFocus: false); // host A ends at the save

        Assert.True(await hosts.A.WaitForExitAsync(TimeSpan.FromSeconds(20)), "host A did not end at the test hook:\n" + hosts.Output);
        var sinceCrash = Stopwatch.StartNew();
        Assert.NotEqual(0, hosts.A.ExitCode);
        await OutputContainsAsync(hosts.A, "CrashBeforePublishing");
        await using (var db = DomainServices.CreateSystemContext(hosts.Database, ReadOnly))
        {
            // The change was committed before the process ended: what B must now show.
            var ownerId = await db.Demands.Where(d => d.Id == demandId).Select(d => d.OwnerId).SingleAsync();
            Assert.Equal("demo-salesrep2", await db.Users.Where(u => u.Id == ownerId).Select(u => u.ExternalId).SingleAsync());
        }
        await BrowserFixture.ScreenshotAsync(author, "live-fault-crash-host-a-gone-zh");

        await Assertions.Expect(card).ToContainTextAsync("刘芳", new() { Timeout = WithinMs });
        var boardShown = sinceCrash.Elapsed;
        await Assertions.Expect(Badge(assignee)).ToHaveTextAsync(Count(unreadBefore + 1), new() { Timeout = Remaining(sinceCrash) });
        var bellShown = sinceCrash.Elapsed;
        output.WriteLine($"After host A ended (exit code {hosts.A.ExitCode}): board on B after {boardShown.TotalMilliseconds:0} ms, bell on B after {bellShown.TotalMilliseconds:0} ms.");

        await board.WaitForTimeoutAsync(DuplicateWindowMs);
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await Assertions.Expect(Badge(assignee)).ToHaveTextAsync(Count(unreadBefore + 1));
        await assignee.Locator(".crm-bell").ClickAsync();
        await Assertions.Expect(assignee.Locator(".crm-notification", new() { HasText = number })).ToHaveCountAsync(1);
        await Assertions.Expect(assignee.Locator(".crm-notification-unread", new() { HasText = number })).ToContainTextAsync($"李明 将需求 {number} 分配给您");
        await BrowserFixture.ScreenshotAsync(board, "live-fault-crash-host-b-board-zh");
        await assignee.WaitForTimeoutAsync(400);
        await BrowserFixture.ScreenshotAsync(assignee, "live-fault-crash-host-b-bell-zh");
    }

    [Fact]
    public async Task A_browser_whose_instance_is_killed_reloads_from_the_other_host_and_keeps_its_typed_interaction_draft()
    {
        await using var hosts = await TwoHosts.StartAsync();
        await using var proxy = new StickyProxy(hosts.A.BaseAddress, hosts.B.BaseAddress);
        var customerId = await hosts.CustomerOfAsync("demo-salesrep");
        const string summary = "断线测试：客户希望下周安排产品演示，预算已经批下来了。";
        await using var context = await TwoHosts.NewContextAsync(browser.Browser, proxy.BaseAddress);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        Assert.Equal(hosts.A.BaseAddress, proxy.PinnedHost);

        await page.Locator(".crm-log-interaction").ClickAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-interaction-dialog");
        await dialog.Locator(".crm-interaction-summary textarea").FillAsync(summary);
        // What a person does after typing: the draft is kept meanwhile. Wait until the browser holds it (a fixed 1.5 s was
        // not always enough on a loaded machine, and then there was nothing to offer on B).
        await page.WaitForFunctionAsync("([key, text]) => (sessionStorage.getItem(key) ?? '').includes(text)",
            new[] { $"crm.draft.interaction:{customerId}", summary }, new() { Timeout = 10_000 });
        await BrowserFixture.ScreenshotAsync(page, "live-fault-draft-typed-on-a-zh");
        // A mark in this document: gone once the page has been loaded again.
        await page.EvaluateAsync("() => window.crmBeforeTheCrash = true");

        await hosts.A.KillAsync();
        var sinceKill = Stopwatch.StartNew();

        // Blazor reconnects through the proxy, now pinned to B; B does not know the circuit, so the page reloads from B.
        await page.WaitForFunctionAsync(
            "() => window.crmBeforeTheCrash === undefined && document.querySelector(\".crm-shell[data-interactive='true']\") !== null",
            null, new() { Timeout = 30_000, PollingInterval = 100 });
        var reloaded = sinceKill.Elapsed;
        output.WriteLine($"After host A was killed: the page was interactive again from B after {reloaded.TotalMilliseconds:0} ms.");
        Assert.Equal(hosts.B.BaseAddress, proxy.PinnedHost);
        Assert.EndsWith($"/customers/{customerId}", page.Url, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "live-fault-reloaded-on-b-zh");

        await Assertions.Expect(page.Locator(".crm-connection-moved")).ToBeVisibleAsync();
        var resume = page.Locator(".crm-interaction-draft-resume");
        await Assertions.Expect(resume).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "live-fault-draft-offered-on-b-zh");
        await page.Locator(".crm-interaction-draft-continue").ClickAsync();
        await Assertions.Expect(dialog.Locator(".crm-interaction-summary textarea")).ToHaveValueAsync(summary);
        await Assertions.Expect(page.Locator(".crm-interaction-draft-restored")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "live-fault-draft-restored-on-b-zh");
    }

    /// <summary>Logs a call on the customer's 360 page with one to-do for <paramref name="ownerName"/>, as the bell test does.</summary>
    private static async Task AssignToDoAsync(IPage page, Guid customerId, string todo, string ownerName)
    {
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-log-interaction").ClickAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-interaction-dialog");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-interactiontype"), "电话沟通");
        await dialog.Locator(".crm-interaction-topic input").FillAsync("故障测试电话");
        await dialog.Locator(".crm-add-todo").ClickAsync();
        await dialog.GetByLabel("待办内容").FillAsync(todo);
        // The choice must have taken before saving: a to-do left with its default owner (the author) tells nobody, and
        // this test would then wait in vain for the bell's event (it did, twice, in CI under load). Choose again once.
        var owner = dialog.Locator(".crm-todo-owner");
        await BrowserFixture.ChooseAsync(page, owner, ownerName);
        try
        {
            await Assertions.Expect(owner).ToContainTextAsync(ownerName, new() { Timeout = 3000 });
        }
        catch (PlaywrightException)
        {
            await BrowserFixture.ChooseAsync(page, owner, ownerName);
            await Assertions.Expect(owner).ToContainTextAsync(ownerName);
        }
        await dialog.Locator(".crm-interaction-save").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
    }

    private static async Task OutputContainsAsync(AppProcess host, string text)
    {
        // With Redis gone a publish fails at once (BacklogPolicy.FailFast), and the warning reaches this process through
        // the host's redirected output soon after. Generous for a loaded 2-core machine: what this waits for is that the
        // fault took, not a latency. (When the bell's event was missing here in CI, host A had logged the customer's event
        // only: the save told nobody, as a to-do left with its default owner does. The test now checks the owner first.)
        var deadline = Stopwatch.StartNew();
        while (!host.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), $"Not in the host's log within 90 s: {text}\n{host.Output}");
            await Task.Delay(50);
        }
    }

    private static ILocator Badge(IPage page) => page.Locator(".crm-bell-badge .mud-badge");

    /// <summary>The bell's unread count as the page shows it (no badge: none).</summary>
    private static async Task<int> UnreadAsync(IPage page)
    {
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        return await Badge(page).CountAsync() == 0 ? 0 : int.Parse(await Badge(page).InnerTextAsync(), CultureInfo.InvariantCulture);
    }

    private static string Count(int unread) => unread.ToString(CultureInfo.InvariantCulture);

    /// <summary>What is left of the 5 s since the fault ended, at least a moment.</summary>
    private static float Remaining(Stopwatch since) => Math.Max(1, WithinMs - (float)since.Elapsed.TotalMilliseconds);
}
