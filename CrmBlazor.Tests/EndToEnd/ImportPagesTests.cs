using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC H2 in Chromium: a messy file shows its red rows and errors workbook; the fixed file imports with a live progress bar.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class ImportPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_supervisor_sees_the_red_rows_downloads_the_errors_fixes_the_file_and_watches_it_import()
    {
        var folder = Directory.CreateTempSubdirectory("crm-import-e2e").FullName;
        var rows = ValidRows(200, "浏览器");
        rows[3]["客户名称*"] = null;
        rows[7]["手机"] = "1380013";
        rows[11]["行业"] = "零售";
        // Written as a team's own sheet would (issue 17): cleaned before the check, and the preview says so.
        rows[20]["手机"] = "0571-8888 6666";                                  // a landline in the mobile column
        rows[21]["手机"] = $"+86 {rows[21]["手机"]}".Insert(7, " ");          // +86 and a space
        rows[22]["客户名称*"] = $"ＡＢＣ{rows[22]["客户名称*"]}";               // full-width letters
        var messy = Path.Combine(folder, "客户-待导入.xlsx");
        await File.WriteAllBytesAsync(messy, Xlsx(rows).ToArray());

        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        // The export dialog (SPEC H3): every column, custom fields included, the number always on.
        await page.Locator(".crm-export-customers").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-export-column", new() { HasText = "上市公司" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-export-column", new() { HasText = "客户编号" }).Locator("input")).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "export-dialog-zh");
        await page.Locator(".crm-export-dialog").GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Assertions.Expect(page.Locator(".crm-export-dialog")).ToHaveCountAsync(0);
        await page.Locator(".crm-import-customers").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-import-upload")).ToBeVisibleAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        // 1. The messy file: three rows in red, with their reasons; nothing imported yet.
        await page.Locator(".crm-import-file input[type=file]").Last.SetInputFilesAsync(messy);
        await Assertions.Expect(page.Locator(".crm-import-error-row")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='5']")).ToContainTextAsync("缺少客户名称");
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='9']")).ToContainTextAsync("不是有效的手机号");
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='13']")).ToContainTextAsync("请选择“零售业”");
        await Assertions.Expect(page.Locator(".crm-count-errors")).ToContainTextAsync("3");
        await Assertions.Expect(page.Locator(".crm-import-confirm")).ToContainTextAsync("确认导入 197 行");
        await Assertions.Expect(page.Locator(".crm-import-cleaned [data-cleaning='LandlineMoved']")).ToHaveTextAsync("1 个座机号码写在“手机”列，已移到“座机”");
        await Assertions.Expect(page.Locator(".crm-import-cleaned [data-cleaning='PhoneReformatted']")).ToHaveTextAsync("2 个电话号码已规范格式（去掉空格、横线、+86）");
        await Assertions.Expect(page.Locator(".crm-import-cleaned [data-cleaning='HalfWidth']")).ToHaveTextAsync("1 个单元格的全角字母或数字已转为半角");
        await BrowserFixture.ScreenshotAsync(page, "import-preview-zh");

        // 2. The errors workbook: the same three rows with a reason column.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".crm-import-errors-download").First.ClickAsync());
        var errorsPath = Path.Combine(folder, "errors.xlsx");
        await download.SaveAsAsync(errorsPath);
        var errors = Read(errorsPath);
        Assert.Equal([5d, 9d, 13d], errors.Select(r => Convert.ToDouble(r["原行号"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("缺少客户名称", errors[0]["错误原因"]!.ToString(), StringComparison.Ordinal);

        // 3. Fixed, the file checks clean; confirmed, the progress bar moves live and the summary follows.
        rows[3]["客户名称*"] = "浏览器补全名称有限公司";
        rows[7]["手机"] = "13800138007";
        rows[11]["行业"] = "零售业";
        var fixedFile = Path.Combine(folder, "客户-已修正.xlsx");
        await File.WriteAllBytesAsync(fixedFile, Xlsx(rows).ToArray());
        await page.Locator(".crm-import-file input[type=file]").Last.SetInputFilesAsync(fixedFile);
        await Assertions.Expect(page.Locator(".crm-import-clean")).ToBeVisibleAsync();
        await WatchProgressAsync(page);
        await page.Locator(".crm-import-confirm").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "开始导入" }).ClickAsync();
        await Assertions.Expect(page.Locator(".crm-import-job[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".crm-summary-imported")).ToContainTextAsync("200");
        var seen = await page.EvaluateAsync<string[]>("() => window.crmProgressSeen");
        Assert.Contains(seen, text => text.StartsWith("已处理 ", StringComparison.Ordinal) && !text.StartsWith("已处理 200/", StringComparison.Ordinal) && text.EndsWith("/200", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator(".crm-import-history-row").First).ToContainTextAsync("已完成");
        await BrowserFixture.ScreenshotAsync(page, "import-summary-zh");

        // The owner is told in the bell as well.
        await page.Locator(".crm-bell").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-bell-panel")).ToContainTextAsync("客户-已修正.xlsx 导入完成：新建 200，更新 0，跳过 0");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_teams_own_sheet_is_mapped_its_values_chosen_checked_imported_live_and_its_customers_are_searchable()
    {
        var folder = Directory.CreateTempSubdirectory("crm-import-e2e").FullName;
        var legacy = Path.Combine(folder, "华东区客户清单.xlsx");
        var data = Enumerable.Range(1, 30).Select(i => new object?[]
        {
            i, $"华东迁移客户{i:D2}有限公司", i % 3 == 0 ? "信息技术" : "制造业", i % 5 == 0 ? "500-1000人" : "50–200人", $"迁移联系人{i}", $"137 1234 {i:D4}",
            i == 2 ? "VIP" : i % 2 == 0 ? "战略客户" : "普通客户", // the tier rules' names, and one word of the team's own
        }).ToArray();
        data[4][1] = null;       // sheet row 8: no company
        data[6][2] = "航天军工"; // sheet row 10: an industry no list holds yet
        await File.WriteAllBytesAsync(legacy, LegacySheet("2026 年华东区客户清单", ["序号", "公司名称", "所属行业", "客户规模（员工人数）", "联系人", "联系电话", "客户等级"], data).ToArray());

        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/customers/import");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-import-file input[type=file]").Last.SetInputFilesAsync(legacy);

        // 1. The mapping step: the headings found on row 3, each matched, the unknown ones left for the user.
        var mapping = page.Locator(".crm-import-mapping");
        await Assertions.Expect(mapping.Locator(".crm-import-header-row")).ToHaveTextAsync("表头在第 3 行，其上方的行不会导入。");
        await Assertions.Expect(mapping.Locator("tr[data-header='公司名称']")).ToHaveAttributeAsync("data-target", "客户名称");
        await Assertions.Expect(mapping.Locator("tr[data-header='联系电话']")).ToHaveAttributeAsync("data-target", "手机");
        await Assertions.Expect(mapping.Locator("tr[data-header='联系电话'] .crm-import-samples")).ToContainTextAsync("137 1234 0001");
        await Assertions.Expect(mapping.Locator("tr[data-header='客户等级']")).ToHaveAttributeAsync("data-target", "客户等级");
        await Assertions.Expect(mapping.Locator("tr[data-header='序号']")).ToHaveAttributeAsync("data-target", "");
        await Assertions.Expect(page.Locator(".crm-import-job")).ToHaveCountAsync(0); // nothing checked yet

        // 2. The user keeps the team's 序号 as the external code, and leaving out the contact names the missing field.
        await BrowserFixture.ChooseAsync(page, mapping.Locator("tr[data-header='序号'] .crm-import-target"), "外部编号");
        await Assertions.Expect(mapping.Locator("tr[data-header='序号']")).ToHaveAttributeAsync("data-match", "Chosen");
        await BrowserFixture.ChooseAsync(page, mapping.Locator("tr[data-header='联系人'] .crm-import-target"), "不导入");
        await Assertions.Expect(mapping.Locator(".crm-import-missing")).ToContainTextAsync("关键联系人");
        await Assertions.Expect(mapping.Locator(".crm-import-columns-confirm")).ToBeDisabledAsync();
        await BrowserFixture.ChooseAsync(page, mapping.Locator("tr[data-header='联系人'] .crm-import-target"), "关键联系人 *");
        await Assertions.Expect(mapping.Locator(".crm-import-missing")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "import-mapping-zh");

        // 3. Checked through the mapping: the team's own values listed once each, with counts and the nearest allowed value proposed.
        await mapping.Locator(".crm-import-columns-confirm").ClickAsync();
        var values = page.Locator(".crm-import-values");
        await Assertions.Expect(values.Locator(".crm-import-value")).ToHaveCountAsync(4);
        await Assertions.Expect(values.Locator(".crm-import-value[data-value='VIP']")).ToHaveAttributeAsync("data-choice", "S");
        await Assertions.Expect(values.Locator(".crm-import-value[data-value='信息技术']")).ToHaveAttributeAsync("data-choice", "software");
        await Assertions.Expect(values.Locator(".crm-import-value[data-value='信息技术']")).ToContainTextAsync("软件与信息服务（建议）");
        await Assertions.Expect(values.Locator(".crm-import-value[data-value='500-1000人']")).ToHaveAttributeAsync("data-choice", "500plus");
        await Assertions.Expect(page.Locator(".crm-count-errors")).ToContainTextAsync("16"); // 10 rows of 信息技术, 6 of 500-1000人 (2 both), 航天军工, VIP, and the one without a company (a 500-1000人 row)
        // The Admin adds 航天军工 to the industries from the step.
        await values.Locator(".crm-import-value[data-value='航天军工'] .crm-import-value-add").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已将“航天军工”添加为新选项。");
        await BrowserFixture.ScreenshotAsync(page, "import-values-zh");
        await values.Locator(".crm-import-values-apply").ClickAsync();

        // 4. Checked again: only the row without a company in red, under its own sheet row number.
        await Assertions.Expect(page.Locator(".crm-import-values")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".crm-import-error-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='8']")).ToContainTextAsync("缺少客户名称");
        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='8']")).ToContainTextAsync("迁移联系人5"); // the contact, read through the mapping
        await Assertions.Expect(page.Locator(".crm-import-confirm")).ToContainTextAsync("确认导入 29 行");
        await Assertions.Expect(page.Locator(".crm-import-cleaned [data-cleaning='ValueMapped']")).ToHaveTextAsync("18 个取值已按您的选择替换"); // 10 industries, 6 sizes, VIP, and 航天军工 as the item just added
        await Assertions.Expect(page.Locator(".crm-import-cleaned [data-cleaning='PhoneReformatted']")).ToContainTextAsync("30");

        // 5. Confirmed: the progress moves live, the summary follows, and the customers are in the list's search with their values.
        await WatchProgressAsync(page);
        await page.Locator(".crm-import-confirm").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "开始导入" }).ClickAsync();
        await Assertions.Expect(page.Locator(".crm-import-job[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".crm-summary-imported")).ToContainTextAsync("29");
        var seen = await page.EvaluateAsync<string[]>("() => window.crmProgressSeen");
        Assert.Contains(seen, text => text.StartsWith("已处理 ", StringComparison.Ordinal) && text.EndsWith("/30", StringComparison.Ordinal));
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-customer-search input").FillAsync("华东迁移客户15");
        await Assertions.Expect(page.Locator(".crm-customer-link")).ToHaveTextAsync(["华东迁移客户15有限公司"]);
        await page.Locator(".crm-customer-link").ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("软件与信息服务");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("500人以上");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("13712340015");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("外部编号"); // the team's 序号, kept (shown only when there is one)
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("已手动设置：Excel 导入。"); // 普通客户: tier C, pinned as imported
        await BrowserFixture.ScreenshotAsync(page, "import-customer-imported-zh");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_bad_file_gets_a_clear_message_in_english_and_nothing_is_checked()
    {
        var folder = Directory.CreateTempSubdirectory("crm-import-e2e").FullName;
        var locked = Path.Combine(folder, "locked.xlsx");
        await File.WriteAllBytesAsync(locked, PasswordProtected().ToArray());

        await using var context = await browser.NewContextAsync("en");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/customers/import");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-import-file input[type=file]").Last.SetInputFilesAsync(locked);

        await Assertions.Expect(page.Locator(".crm-import-rejected")).ToContainTextAsync("The workbook is password-protected");
        await Assertions.Expect(page.Locator(".crm-import-job")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "import-rejected-en");
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Records every text the progress line shows (read back from window.crmProgressSeen): proof it moved live.</summary>
    [Fact]
    public async Task A_contacts_only_sheet_adds_people_to_the_customers_it_names()
    {
        var folder = Directory.CreateTempSubdirectory("crm-import-e2e").FullName;
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var customer = (await page.Locator(".crm-customer-link").First.TextContentAsync())!.Trim();
        var sheet = Path.Combine(folder, "联系人名单.xlsx");
        await File.WriteAllBytesAsync(sheet, LegacySheet("客户联系人名单", ["所属公司", "姓名", "职位", "手机号"],
        [
            [customer, "导入联系人甲", "采购总监", "139 0013 9001"],
            ["没有这家公司", "导入联系人乙", null, "13900139002"],
        ]).ToArray());

        // Reached from the customer import page; the sheet's own headings are mapped, the customer named by its name.
        await page.GotoAsync("/customers/import");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-import-contacts").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/customers/import/contacts$"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("导入联系人");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-import-file input[type=file]").Last.SetInputFilesAsync(sheet);
        var mapping = page.Locator(".crm-import-mapping");
        await Assertions.Expect(mapping.Locator("tr[data-header='所属公司']")).ToHaveAttributeAsync("data-target", "客户名称");
        await Assertions.Expect(mapping.Locator("tr[data-header='姓名']")).ToHaveAttributeAsync("data-target", "联系人");
        await Assertions.Expect(mapping.Locator("tr[data-header='手机号']")).ToHaveAttributeAsync("data-target", "手机");
        await mapping.Locator(".crm-import-columns-confirm").ClickAsync();

        await Assertions.Expect(page.Locator(".crm-import-error-row[data-row='5']")).ToContainTextAsync("找不到客户“没有这家公司”");
        await Assertions.Expect(page.Locator(".crm-import-confirm")).ToContainTextAsync("确认导入 1 行");
        await BrowserFixture.ScreenshotAsync(page, "import-contacts-preview-zh");
        await page.Locator(".crm-import-confirm").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "开始导入" }).ClickAsync();
        await Assertions.Expect(page.Locator(".crm-import-job[data-status='Completed']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".crm-summary-imported")).ToContainTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "import-contacts-summary-zh");

        // The person is on the customer's page, with the mobile written as the CRM writes it.
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-customer-search input").FillAsync("13900139001");
        await Assertions.Expect(page.Locator(".crm-customer-link")).ToHaveTextAsync([customer]);
        await page.Locator(".crm-customer-link").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-contacts")).ToContainTextAsync("导入联系人甲");
        await Assertions.Expect(page.Locator(".crm-contacts")).ToContainTextAsync("13900139001");
        Directory.Delete(folder, recursive: true);
    }

    private static async Task WatchProgressAsync(IPage page) => await page.EvaluateAsync(@"() => {
        window.crmProgressSeen = [];
        new MutationObserver(() => {
            const text = document.querySelector('.crm-import-progress-text')?.textContent;
            if (text && !window.crmProgressSeen.includes(text)) window.crmProgressSeen.push(text);
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
    }");
}
