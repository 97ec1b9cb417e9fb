using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// The pages a rep uses away from the desk, on a 390 × 844 touch screen: the document never scrolls sideways (a board's
/// own column strip may) and no button lies outside the screen's width.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class PhoneLayoutTests(BrowserFixture browser)
{
    private const int Width = BrowserFixture.PhoneWidth;

    /// <summary>The menu's entries are plain links (not MudNavLinks): following one still closes the drawer on a phone, and marks its entry.</summary>
    [Fact]
    public async Task On_a_phone_the_menu_opens_over_the_page_and_closes_when_an_entry_is_followed()
    {
        await using var context = await browser.NewContextAsync("zh-CN", phone: true);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync("/");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var drawer = page.Locator(".mud-drawer");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));

        await page.Locator(".mud-appbar button").First.TapAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--open"));
        await drawer.Locator("a[href='/customers']").TapAsync();

        await page.WaitForURLAsync("**/customers");
        await Assertions.Expect(drawer).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-drawer--closed"));
        await Assertions.Expect(drawer.Locator("a.active")).ToHaveAttributeAsync("href", "/customers");
    }

    [Fact]
    public async Task A_rep_logs_a_visit_from_the_phone_in_a_full_screen_dialog()
    {
        await using var context = await browser.NewContextAsync("zh-CN", phone: true);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 2);
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilLoadedAsync(page);

        await page.Locator(".crm-phone-log-interaction").TapAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-interaction-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await BrowserFixture.WaitForAnimationsAsync(page); // the dialog's opening zoom
        var box = (await dialog.BoundingBoxAsync())!;
        Assert.Equal(Width, box.Width, 1.0);
        Assert.Equal(BrowserFixture.PhoneHeight, box.Height, 1.0);
        Assert.Empty(await OutsideAsync(page));

        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-interactiontype"), "上门拜访");
        await dialog.Locator(".crm-interaction-topic input").FillAsync("现场拜访：手机记录");
        await dialog.Locator(".crm-interaction-summary textarea").FillAsync("在客户现场演示移动端，客户关注离线使用。");
        // The app has taken both fields once the tab's draft (written from what the server holds) has them. Seen once on a
        // cold first test: the saved interaction had no topic when the save followed the typing at once.
        await page.WaitForFunctionAsync("([key, topic, summary]) => { const d = sessionStorage.getItem(key) ?? ''; return d.includes(topic) && d.includes(summary); }",
            new[] { $"crm.draft.interaction:{customerId}", "现场拜访：手机记录", "在客户现场演示移动端" }, new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "phone-log-visit-zh.png") });
        await dialog.Locator(".crm-interaction-save").TapAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".crm-timeline-entry[data-kind='interaction']").First).ToContainTextAsync("上门拜访：现场拜访：手机记录");
        Assert.Empty(await OutsideAsync(page));
    }

    [Fact]
    public async Task A_reps_pages_fit_a_phone_screen()
    {
        await using var context = await browser.NewContextAsync("zh-CN", phone: true);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep");

        var problems = new List<string>();
        foreach (var (path, name) in new[] { ("/", "my-work"), ("/customers", "customers"), ($"/customers/{customerId}", "customer"), ("/demands", "demands"), ("/demands/tasks", "tasks") })
        {
            await page.GotoAsync(path);
            await BrowserFixture.WaitUntilLoadedAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"phone-{name}-zh.png") }); // the first screen
            problems.AddRange((await OutsideAsync(page)).Select(p => $"{path}: {p}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // The list: the search box is on the first screen, the other filters fold behind one button.
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilLoadedAsync(page);
        await Assertions.Expect(page.Locator(".crm-customer-search input")).ToBeInViewportAsync();
        await Assertions.Expect(page.Locator(".crm-filter-more").First).ToBeHiddenAsync();
        await page.Locator(".crm-filter-toggle").TapAsync();
        await Assertions.Expect(page.Locator(".crm-filter-more").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-filter-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "phone-customers-filters-zh.png") });
    }

    [Fact]
    public async Task The_customer_page_on_a_phone_puts_the_timeline_first_and_the_actions_in_a_bottom_bar()
    {
        await using var context = await browser.NewContextAsync("zh-CN", phone: true);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 3);
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilLoadedAsync(page);

        // The desk's row of buttons gives way to a bar at the bottom of the screen.
        await Assertions.Expect(page.Locator(".crm-customer-actions")).ToBeHiddenAsync();
        var bar = page.Locator(".crm-customer-phone-actions");
        await Assertions.Expect(bar).ToBeInViewportAsync(new() { Ratio = 1 });
        var barBox = (await bar.BoundingBoxAsync())!;
        Assert.Equal(BrowserFixture.PhoneHeight, barBox.Y + barBox.Height, 1.0);
        Assert.Equal(Width, barBox.Width, 1.0);
        await Assertions.Expect(bar.Locator(".crm-phone-log-interaction")).ToHaveTextAsync("记录互动");

        // The timeline comes before the details, and the bar covers no part of the page's end.
        var timelineTop = (await page.Locator(".crm-customer-timeline-column").BoundingBoxAsync())!.Y;
        var detailsTop = (await page.Locator(".crm-customer-details").BoundingBoxAsync())!.Y;
        Assert.True(timelineTop < detailsTop, $"timeline at {timelineTop}px, details at {detailsTop}px");
        await page.EvaluateAsync("() => window.scrollTo(0, document.scrollingElement.scrollHeight)");
        var lastPanelBottom = await page.EvaluateAsync<double>(
            "() => Math.max(...[...document.querySelectorAll('.crm-customer-details, .crm-customer-timeline-column, .mud-grid > .mud-grid-item')].map(e => e.getBoundingClientRect().bottom))");
        var barTop = (await bar.BoundingBoxAsync())!.Y;
        Assert.True(lastPanelBottom <= barTop + 1, $"the page ends at {lastPanelBottom}px under the bar at {barTop}px");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "phone-customer-bar-zh.png") });

        // The other actions are one menu away, each on the screen, and they work.
        await bar.Locator(".crm-phone-more-actions button").TapAsync();
        var items = page.Locator(".mud-popover-open .mud-menu-item");
        await Assertions.Expect(items).ToHaveTextAsync(["查看需求", "新建需求", "变更状态", "编辑"]);
        await BrowserFixture.WaitForAnimationsAsync(page);
        foreach (var box in await Task.WhenAll((await items.AllAsync()).Select(i => i.BoundingBoxAsync())))
        {
            Assert.InRange(box!.X, 0, Width - box.Width);
        }
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "phone-customer-more-zh.png") });
        await page.Locator(".mud-popover-open .crm-phone-edit-customer").TapAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_board_on_a_phone_shows_one_column_at_a_time_and_a_switcher_moves_between_them()
    {
        await using var context = await browser.NewContextAsync("zh-CN", phone: true);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");

        foreach (var (path, firstLabel, second, name) in new[] { ("/demands", "待响应", "InProgress", "demands"), ("/demands/tasks", "待开始", "InProgress", "tasks") })
        {
            await page.GotoAsync(path);
            await BrowserFixture.WaitUntilLoadedAsync(page);
            // The filters fold behind one button, so the cards start on the first screen.
            await Assertions.Expect(page.Locator(".crm-board-owner")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator(".crm-board-column").First).ToBeInViewportAsync();

            var columns = page.Locator(".crm-board-paged .crm-board-column");
            var first = (await columns.First.BoundingBoxAsync())!;
            // One column fills the strip: a card keeps the width of a phone's screen, not a sliver of it.
            Assert.InRange(first.Width, 300, Width);
            Assert.InRange(first.X, 0, 30);
            var switches = page.Locator(".crm-board-switch");
            await Assertions.Expect(switches).ToHaveCountAsync(await columns.CountAsync());
            await Assertions.Expect(switches.First).ToContainTextAsync(firstLabel);
            foreach (var box in await Task.WhenAll((await switches.AllAsync()).Select(b => b.BoundingBoxAsync())))
            {
                Assert.InRange(box!.X + box.Width, box.Width, Width);
            }

            // A tap on "处理中" brings that column into view and marks its button.
            await page.Locator($".crm-board-switch[data-column='{second}']").TapAsync();
            var target = page.Locator($".crm-board-paged .crm-board-column[data-status='{second}']");
            // The column's left edge comes to the strip's (it is taller than the screen, so "in view" means that).
            await target.EvaluateAsync("column => new Promise((resolve, reject) => { const t = Date.now(); (function poll() { const left = column.getBoundingClientRect().left; if (left >= 0 && left < 30) resolve(); else if (Date.now() - t > 5000) reject(new Error(`the column is at ${left}px`)); else requestAnimationFrame(poll); })(); })");
            await Assertions.Expect(page.Locator($".crm-board-switch[data-column='{second}']")).ToHaveAttributeAsync("aria-current", "true");
            await Assertions.Expect(columns.First).Not.ToBeInViewportAsync();
            await BrowserFixture.WaitForAnimationsAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"phone-{name}-switched-zh.png") });

            // A swipe back to the first column moves the mark with it.
            await page.Locator(".crm-board-paged .crm-board-columns").EvaluateAsync("strip => strip.scrollTo({ left: 0 })");
            await Assertions.Expect(switches.First).ToHaveAttributeAsync("aria-current", "true");
            await Assertions.Expect(page.Locator($".crm-board-switch[data-column='{second}']")).Not.ToHaveAttributeAsync("aria-current", "true");
            Assert.Empty(await OutsideAsync(page));
        }

        // The board's filters, unfolded, still fit.
        await page.Locator(".crm-board-filter .crm-filter-toggle").TapAsync();
        await Assertions.Expect(page.Locator(".crm-board-owner")).ToBeVisibleAsync();
        Assert.Empty(await OutsideAsync(page));
    }

    [Fact]
    public async Task The_bell_opens_within_a_phone_screen()
    {
        await using var context = await browser.NewContextAsync("zh-CN", phone: true);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync("/");
        await BrowserFixture.WaitUntilLoadedAsync(page);

        await page.Locator(".crm-bell").TapAsync();
        var panel = page.Locator(".crm-bell-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await BrowserFixture.WaitForAnimationsAsync(page);
        var box = (await panel.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= Width, $"the bell's panel spans {box.X}–{box.X + box.Width}px");
        Assert.Empty(await OutsideAsync(page));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "phone-bell-zh.png") });
    }

    [Fact]
    public async Task On_a_dropped_network_the_page_says_it_is_reconnecting_and_carries_on_when_the_network_is_back()
    {
        await using var proxy = new StickyProxy(browser.App.BaseAddress);
        await using var context = await browser.NewContextAsync("zh-CN", phone: true, via: proxy.BaseAddress);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilLoadedAsync(page);

        proxy.GoDown();
        var banner = page.Locator("#components-reconnect-modal");
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(banner).ToContainTextAsync("正在重新连接");
        // The first attempt fails too (nothing gets through): the banner then says the network may be down and counts down.
        await Assertions.Expect(banner.Locator(".crm-reconnect-offline")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(banner).ToContainTextAsync("网络可能已断开");
        await Assertions.Expect(banner.Locator(".components-reconnect-first-attempt-visible")).ToBeHiddenAsync();
        await Assertions.Expect(banner).ToBeInViewportAsync(new() { Ratio = 1 });
        // It fades in (its spinner turns for ever): once its own fade has ended it is there to read, not just in the tree.
        await page.WaitForFunctionAsync("() => document.getElementById('components-reconnect-modal').getAnimations().every(a => a.playState !== 'running')");
        Assert.Equal("1", await banner.EvaluateAsync<string>("modal => getComputedStyle(modal).opacity"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "phone-reconnecting-zh.png") });

        proxy.ComeBack();
        await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 30_000 });
        // The same circuit carries on: the page answers a tap.
        await page.Locator(".crm-filter-toggle").TapAsync();
        await Assertions.Expect(page.Locator(".crm-filter-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
    }

    /// <summary>What sticks out sideways: the document's own overflow, then each visible button past the right edge.</summary>
    private static Task<string[]> OutsideAsync(IPage page) => page.EvaluateAsync<string[]>("""
        (width) => {
            const found = [];
            const doc = document.scrollingElement;
            if (doc.scrollWidth > width + 1) found.push(`document is ${doc.scrollWidth}px wide`);
            const strip = el => el.closest('.crm-board-columns');
            for (const el of document.querySelectorAll('button, a.mud-button-root, [role=button]')) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0 || strip(el)) continue;
                if (r.right > width + 1 || r.left < -1) found.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('aria-label') || el.className).trim().slice(0, 40)}" at ${Math.round(r.left)}–${Math.round(r.right)}px`);
            }
            return found;
        }
        """, Width);
}
