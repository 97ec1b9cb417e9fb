using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC F1 in Chromium: leads imported from /leads through the import page in lead mode (red rows, confirm, summary).</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class LeadImportPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_supervisor_imports_leads_from_the_lead_list_seeing_the_red_rows_first()
    {
        var folder = Directory.CreateTempSubdirectory("crm-lead-import-e2e").FullName;
        var rows = Enumerable.Range(1, 20).Select(i => new Dictionary<string, object?>
        {
            ["线索来源"] = "展会",
            ["公司名称*"] = $"浏览器导入线索{i:D2}有限公司",
            ["联系人*"] = $"联系人{i}",
            ["手机"] = $"1376655{i:D4}",
            ["邮箱"] = null,
            ["地区"] = "江苏",
            ["负责人"] = i % 2 == 0 ? "张伟" : null,
            ["团队线索池"] = "华东销售一组",
        }).ToList();
        rows[2]["公司名称*"] = null;
        rows[5]["手机"] = "1376";
        rows[8]["负责人"] = "陈静";
        var file = Path.Combine(folder, "展会线索.xlsx");
        await File.WriteAllBytesAsync(file, Xlsx(rows).ToArray());

        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/leads");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-import-leads").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-import-upload")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "导入线索" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-import-mode")).ToHaveCountAsync(0); // leads are only created
        await Assertions.Expect(page.Locator(".crm-import-template")).ToHaveAttributeAsync("href", "/leads/import/template");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator(".crm-import-file input[type=file]").Last.SetInputFilesAsync(file);

        await Assertions.Expect(page.Locator(".crm-import-error-row")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='4']")).ToContainTextAsync("缺少公司名称");
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='7']")).ToContainTextAsync("不是有效的手机号");
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='10']")).ToContainTextAsync("负责人“陈静”不是你可以指派线索的销售");
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='10']")).ToContainTextAsync("浏览器导入线索09有限公司");
        await Assertions.Expect(page.Locator(".crm-count-update")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".crm-import-confirm")).ToContainTextAsync("确认导入 17 行");
        await BrowserFixture.ScreenshotAsync(page, "lead-import-preview-zh");

        await page.Locator(".crm-import-confirm").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "开始导入" }).ClickAsync();
        await Assertions.Expect(page.Locator(".crm-import-job[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".crm-summary-imported")).ToContainTextAsync("17");
        await Assertions.Expect(page.Locator(".crm-summary-skipped")).ToContainTextAsync("3");
        await BrowserFixture.ScreenshotAsync(page, "lead-import-summary-zh");

        await page.Locator(".crm-import-see-list").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/leads$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-lead-views").GetByText("全部").ClickAsync();
        await page.Locator(".crm-lead-search input").FillAsync("浏览器导入线索");
        await Assertions.Expect(page.Locator(".crm-lead-row")).ToHaveCountAsync(17);
        Directory.Delete(folder, recursive: true);
    }
}
