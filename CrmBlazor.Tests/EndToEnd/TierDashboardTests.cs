using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC E1, E3, F3 in Chromium: an order, an evaluation, and a dashboard that follows live.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class TierDashboardTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_order_that_lifts_a_customer_to_A_shows_on_an_open_dashboard_after_evaluation_without_a_reload()
    {
        var (customerId, number) = await browser.CustomerOfAsync("demo-salesrep", skip: 2);
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            // A customer with nothing yet: tier C by the rules.
            await db.Orders.Where(o => o.CustomerId == customerId).ExecuteDeleteAsync();
            await db.Demands.Where(d => d.CustomerId == customerId).ExecuteDeleteAsync();
            await db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, "C").SetProperty(c => c.TierOverride, (string?)null));
        }
        await using var watcherContext = await browser.NewContextAsync("zh-CN");
        await using var supervisorContext = await browser.NewContextAsync("zh-CN");
        var watcher = await watcherContext.NewPageAsync();
        var supervisor = await supervisorContext.NewPageAsync();
        await BrowserFixture.SignInAsync(watcher, "demo-admin");
        await BrowserFixture.SignInAsync(supervisor, "demo-supervisor");
        await watcher.GotoAsync("/dashboard/tiers");
        await BrowserFixture.WaitUntilInteractiveAsync(watcher);
        var tierA = watcher.Locator(".crm-tier-kpi[data-tier='A'] a");
        await Assertions.Expect(tierA).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        var before = int.Parse(await tierA.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await BrowserFixture.ScreenshotAsync(watcher, "tier-dashboard-zh");

        await supervisor.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(supervisor);
        await supervisor.Locator(".crm-add-order").ClickAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(supervisor, ".crm-order-dialog");
        await dialog.Locator(".crm-order-number input").FillAsync($"HT-E2E-{number}");
        await dialog.Locator(".crm-order-amount input").FillAsync("300000");
        await dialog.Locator(".crm-order-save").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(supervisor.Locator(".crm-customer-header")).ToContainTextAsync("¥300,000");
        await Assertions.Expect(supervisor.Locator(".crm-timeline-entry[data-kind='order']").First).ToContainTextAsync($"HT-E2E-{number}");

        await supervisor.GotoAsync("/dashboard/tiers");
        await BrowserFixture.WaitUntilInteractiveAsync(supervisor);
        await supervisor.Locator(".crm-evaluate-tiers").ClickAsync();

        await Assertions.Expect(tierA).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(watcher.Locator(".crm-tier-movements")).ToContainTextAsync("个客户");

        // The drill-down opens the list filtered the same way, and the customer is there.
        await tierA.ClickAsync();
        await watcher.WaitForURLAsync("**/customers?tier=A");
        await Assertions.Expect(watcher.GetByText(number)).ToBeVisibleAsync();

        await supervisor.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(supervisor);
        await Assertions.Expect(supervisor.Locator(".crm-tier-change").First).ToContainTextAsync("A: amount ≥ 200000");
        await BrowserFixture.ScreenshotAsync(supervisor, "customer-360-orders-tier-zh");
    }

    [Fact]
    public async Task The_rule_editor_previews_a_stricter_S_before_saving()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/admin/tier-rules");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        var s = page.Locator(".crm-tier-rule[data-tier='S']");
        await Assertions.Expect(s.Locator(".crm-tier-clause")).ToHaveCountAsync(2);
        await page.Locator(".crm-tier-preview").ClickAsync();
        var preview = page.Locator(".crm-tier-preview-result");
        await Assertions.Expect(preview).ToContainTextAsync("S:");
        await Assertions.Expect(preview).ToContainTextAsync("个客户级别将变化");
        await BrowserFixture.ScreenshotAsync(page, "tier-rules-zh");
    }

    [Fact]
    public async Task A_supervisor_reads_this_months_reports_with_totals()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/reports");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.Locator(".crm-report-interactions tbody tr").Last).ToContainTextAsync("合计");
        await page.GetByRole(AriaRole.Tab, new() { Name = "需求响应达标率" }).ClickAsync();
        var sla = page.Locator(".crm-report-sla");
        await Assertions.Expect(sla.Locator("tbody tr").Last).ToContainTextAsync("合计");
        await Assertions.Expect(sla.Locator("thead")).ToContainTextAsync("达标率");
        await BrowserFixture.ScreenshotAsync(page, "reports-sla-zh");
    }
}
