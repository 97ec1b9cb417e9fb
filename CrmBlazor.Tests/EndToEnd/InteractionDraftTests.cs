using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// Issue #19, circuit loss: what a user types into the interaction dialog is kept by the browser (sessionStorage, per
/// customer), so a reload — or a move to another server — does not lose it; the 360 page offers to continue it.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class InteractionDraftTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_typed_interaction_survives_a_reload_is_continued_from_the_customer_page_and_is_gone_once_saved()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 3, descending: true);
        var draftKey = $"crm.draft.interaction:{customerId}";
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-interaction-draft-resume")).ToHaveCountAsync(0);

        await page.Locator(".crm-log-interaction").ClickAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-interaction-dialog");
        await dialog.Locator(".crm-interaction-topic input").FillAsync("季度回访草稿");
        await dialog.Locator(".crm-interaction-summary textarea").FillAsync("客户询问私有化部署的报价，下周再确认人数。");
        // Kept by the browser within a second of typing, with no blur and no save.
        await page.WaitForFunctionAsync("key => (sessionStorage.getItem(key) ?? '').includes('私有化部署')", draftKey, new() { Timeout = 1_000 });
        await BrowserFixture.ScreenshotAsync(page, "interaction-draft-typing-zh");

        await page.ReloadAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var banner = page.Locator(".crm-interaction-draft-resume");
        await Assertions.Expect(banner).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToContainTextAsync("您有一份尚未保存的互动记录草稿");
        await Assertions.Expect(banner).ToContainTextAsync("季度回访草稿");
        await BrowserFixture.ScreenshotAsync(page, "interaction-draft-banner-zh");

        await banner.Locator(".crm-interaction-draft-continue").ClickAsync();
        await Assertions.Expect(dialog.Locator(".crm-interaction-draft-restored")).ToContainTextAsync("已恢复您未保存的草稿");
        await Assertions.Expect(dialog.Locator(".crm-interaction-summary textarea")).ToHaveValueAsync("客户询问私有化部署的报价，下周再确认人数。");
        await Assertions.Expect(dialog.Locator(".crm-interaction-topic input")).ToHaveValueAsync("季度回访草稿");
        await BrowserFixture.ScreenshotAsync(page, "interaction-draft-restored-zh");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-interactiontype"), "电话沟通");
        await dialog.Locator(".crm-interaction-save").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".crm-timeline-entry[data-kind='interaction']").First).ToContainTextAsync("电话沟通：季度回访草稿");
        Assert.Null(await page.EvaluateAsync<string?>("key => sessionStorage.getItem(key)", draftKey));

        await page.ReloadAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-customer-header")).ToBeVisibleAsync();
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        await page.Locator(".crm-log-interaction").ClickAsync();
        await Assertions.Expect(dialog.Locator(".crm-interaction-summary textarea")).ToHaveValueAsync("");
        await Assertions.Expect(dialog.Locator(".crm-interaction-draft-restored")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Cancelling_the_dialog_throws_the_draft_away()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 4, descending: true);
        var draftKey = $"crm.draft.interaction:{customerId}";
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator(".crm-log-interaction").ClickAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-interaction-dialog");
        await dialog.Locator(".crm-interaction-summary textarea").FillAsync("不再需要的记录");
        await page.WaitForFunctionAsync("key => sessionStorage.getItem(key) !== null", draftKey, new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator(".crm-interaction-draft-resume")).ToHaveCountAsync(1); // behind the dialog
        await dialog.Locator(".crm-interaction-cancel").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".crm-interaction-draft-resume")).ToHaveCountAsync(0);
        Assert.Null(await page.EvaluateAsync<string?>("key => sessionStorage.getItem(key)", draftKey));
    }
}
