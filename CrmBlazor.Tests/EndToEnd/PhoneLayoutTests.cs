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

    [Fact]
    public async Task A_rep_logs_a_visit_from_the_phone_in_a_full_screen_dialog()
    {
        await using var context = await browser.NewContextAsync("zh-CN", phone: true);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 2);
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilLoadedAsync(page);

        await page.Locator(".crm-log-interaction").TapAsync();
        var dialog = page.Locator(".crm-interaction-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await BrowserFixture.WaitForAnimationsAsync(page); // the dialog's opening zoom
        var box = (await dialog.BoundingBoxAsync())!;
        Assert.Equal(Width, box.Width, 1.0);
        Assert.Equal(BrowserFixture.PhoneHeight, box.Height, 1.0);
        Assert.Empty(await OutsideAsync(page));

        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-interactiontype"), "上门拜访");
        await dialog.Locator(".crm-interaction-topic input").FillAsync("现场拜访：手机记录");
        await dialog.Locator(".crm-interaction-summary textarea").FillAsync("在客户现场演示移动端，客户关注离线使用。");
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
