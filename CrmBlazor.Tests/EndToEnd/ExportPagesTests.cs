using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// Issue 12 in Chromium: the export buttons of interactive pages post a form with the circuit's antiforgery
/// token, and the browser downloads the workbook in place, the page staying live.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class ExportPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_supervisor_downloads_the_customer_list_the_tier_dashboard_and_a_report_from_their_pages()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        int before;
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            before = await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export && a.UserName == "李明");
        }

        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-export-customers").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-export-column", new() { HasText = "上市公司" })).ToBeVisibleAsync();
        await page.Locator(".crm-export-column", new() { HasText = "备注" }).Locator("input").UncheckAsync();
        var customers = await page.RunAndWaitForDownloadAsync(() => page.Locator(".crm-export-go").ClickAsync());
        await Assertions.Expect(page.Locator(".crm-export-dialog")).ToHaveCountAsync(0);
        var rows = Read(await customers.PathAsync());
        Assert.NotEmpty(rows);
        Assert.Contains("客户编号", rows[0].Keys);
        Assert.DoesNotContain("备注", rows[0].Keys);
        Assert.EndsWith(".xlsx", customers.SuggestedFilename, StringComparison.Ordinal);

        await page.GotoAsync("/dashboard/tiers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var dashboard = await page.RunAndWaitForDownloadAsync(() => page.Locator(".crm-dashboard-export").ClickAsync());
        Assert.StartsWith("tier-dashboard-", dashboard.SuggestedFilename, StringComparison.Ordinal);

        await page.GotoAsync("/reports");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var report = await page.RunAndWaitForDownloadAsync(() => page.Locator(".crm-report-export-interactions").ClickAsync());
        Assert.StartsWith("report-interactions-", report.SuggestedFilename, StringComparison.Ordinal);
        Assert.NotEmpty(Read(await report.PathAsync()));

        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            Assert.Equal(before + 3, await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export && a.UserName == "李明"));
        }
    }

    private static List<IDictionary<string, object>> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return stream.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
    }
}
