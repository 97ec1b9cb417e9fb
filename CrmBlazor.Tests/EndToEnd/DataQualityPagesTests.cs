using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC H5 in Chromium: accuracy, a drill-down, a drawn sample ticked off.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class DataQualityPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_supervisor_sees_the_accuracy_opens_a_problem_draws_the_sample_and_ticks_one_off()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/data-quality");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.Locator(".crm-accuracy")).ToContainTextAsync("%");
        await page.Locator(".crm-issue[data-issue='NoKeyContactReach']").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-issue-customers")).ToContainTextAsync("关键联系人无手机/邮箱");
        await page.Locator(".crm-draw-sample").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-sample-item").First).ToBeVisibleAsync();
        var first = page.Locator(".crm-sample-item").First;
        var number = await first.GetAttributeAsync("data-number");
        await first.Locator(".crm-verify").ClickAsync();
        await Assertions.Expect(page.Locator($".crm-sample-item[data-number='{number}']")).ToContainTextAsync("李明");
        await Assertions.Expect(page.Locator(".crm-sample")).ToContainTextAsync("已核实 1/");
        await page.Locator(".crm-find-duplicates").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-duplicate, .crm-duplicates .mud-typography-body2").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "data-quality-zh");

        // The merge wizard (SPEC H4): the demo data's "…有限公司 / …股份有限公司" pairs differ in name; take it, ask for approval.
        await page.Locator(".crm-duplicate .crm-merge-open").First.ClickAsync();
        await Assertions.Expect(page.Locator(".crm-merge-moves")).ToContainTextAsync("之后用");
        await page.Locator(".crm-merge-field[data-field='Name'] .crm-merge-take").ClickAsync();
        await BrowserFixture.ScreenshotAsync(page, "merge-dialog-zh");
        await page.Locator(".crm-merge-request").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "已提交审批" })).ToBeVisibleAsync();
    }
}
