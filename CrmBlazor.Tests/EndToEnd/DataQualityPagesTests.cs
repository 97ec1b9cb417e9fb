using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Live;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC H5 in Chromium: accuracy against the goal, a drill-down, the month's checklist and trend, a drawn sample ticked off.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class DataQualityPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_supervisor_sees_the_accuracy_opens_a_problem_draws_the_sample_and_ticks_one_off()
    {
        await RunTheMonthsPassAsync(); // what the minute job does on the month's first pass (jobs are off in browser tests)
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/data-quality");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.Locator(".crm-accuracy")).ToContainTextAsync("%");
        await Assertions.Expect(page.Locator(".crm-goal")).ToContainTextAsync("95% 目标");
        await Assertions.Expect(page.Locator(".crm-trend-month")).Not.ToHaveCountAsync(0);
        var line = page.Locator(".crm-checklist-line").First;
        await Assertions.Expect(line).ToContainTextAsync("起列入清单");
        var lineNumber = await line.GetAttributeAsync("data-number");
        await line.Locator(".crm-tick-off").ClickAsync();
        await Assertions.Expect(page.Locator($".crm-checklist-line[data-number='{lineNumber}']")).ToContainTextAsync("清洗");
        await Assertions.Expect(page.Locator(".crm-checklist")).ToContainTextAsync("本月已完成 1");
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

    private async Task RunTheMonthsPassAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(browser.Database);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped<ICurrentUser>(_ => SystemUser.Instance);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DataQualityJob>().RunAsync();
    }
}
