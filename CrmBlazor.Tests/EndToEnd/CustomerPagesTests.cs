using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>The customer archive as users take it, in Debian's Chromium against the running app.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class CustomerPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_custom_field_added_by_Admin_appears_in_the_form_the_360_page_the_list_column_and_its_filter()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");

        await page.GotoAsync("/admin/custom-fields");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-field-label-zh input").FillAsync("预算区间");
        await page.Locator(".crm-field-label-en input").FillAsync("Budget range");
        await BrowserFixture.ChooseAsync(page, page.Locator(".crm-field-type"), "单选");
        await page.Locator(".crm-field-options textarea").FillAsync("10万以下\n10–50万\n50万以上");
        await page.Locator(".crm-field-add").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-custom-field-table").GetByText("Budget range")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-custom-fields-zh");

        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-customer-grid th", new() { HasText = "预算区间" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-filter-bar .crm-custom-filter", new() { HasText = "预算区间" })).ToBeVisibleAsync();
        var firstRow = page.Locator(".crm-customer-grid tbody tr", new() { HasText = "CRM" }).First;
        var link = firstRow.Locator(".crm-customer-link");
        var name = (await link.InnerTextAsync()).Trim();
        await link.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/customers/[0-9a-f-]{36}$"));
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-customer-name")).ToHaveTextAsync(name);

        await page.Locator(".crm-edit-customer").ClickAsync();
        var form = page.Locator(".crm-customer-form");
        await Assertions.Expect(form.Locator(".crm-custom-field", new() { HasText = "预算区间" })).ToBeVisibleAsync();
        await BrowserFixture.ChooseAsync(page, form.Locator(".crm-custom-field", new() { HasText = "预算区间" }), "10–50万");
        await BrowserFixture.ScreenshotAsync(page, "customer-form-zh");
        await form.Locator(".crm-save").ClickAsync();
        await Assertions.Expect(form).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("10–50万")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "customer-360-zh");

        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await BrowserFixture.ChooseAsync(page, page.Locator(".crm-filter-bar .crm-custom-filter", new() { HasText = "预算区间" }), "10–50万");
        var rows = page.Locator(".crm-customer-grid tbody tr", new() { HasText = "CRM" });
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync(name);
        await Assertions.Expect(rows.First).ToContainTextAsync("10–50万");
        await BrowserFixture.ScreenshotAsync(page, "customer-list-filtered-zh");

        // The custom column sorts on the server: ascending puts the customers without a value first
        // (that customer is first by number otherwise), descending puts the one with a value first.
        await page.Locator(".crm-clear-filters").ClickAsync();
        await Assertions.Expect(rows).Not.ToHaveCountAsync(1);
        var header = page.Locator(".crm-customer-grid th", new() { HasText = "预算区间" });
        await header.Locator(".column-header, .sortable-column-header").First.ClickAsync();
        await Assertions.Expect(rows.First).Not.ToContainTextAsync("10–50万");
        await header.Locator(".column-header, .sortable-column-header").First.ClickAsync();
        await Assertions.Expect(rows.First).ToContainTextAsync("10–50万");
    }

    [Fact]
    public async Task Two_browsers_on_one_customer_see_each_others_edits_live_and_simultaneous_edits_meet_the_conflict_dialog()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep");
        await using var supervisorContext = await browser.NewContextAsync("zh-CN");
        await using var repContext = await browser.NewContextAsync("zh-CN");
        var supervisor = await supervisorContext.NewPageAsync();
        var rep = await repContext.NewPageAsync();
        await BrowserFixture.SignInAsync(supervisor, "demo-supervisor");
        await BrowserFixture.SignInAsync(rep, "demo-salesrep");
        foreach (var page in new[] { supervisor, rep })
        {
            await page.GotoAsync($"/customers/{customerId}");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator(".crm-customer-name")).ToBeVisibleAsync();
        }

        // A live edit: the supervisor saves, the rep's open page shows it within a second.
        await supervisor.Locator(".crm-edit-customer").ClickAsync();
        await BrowserFixture.FocusedDialogAsync(supervisor, ".crm-customer-form");
        await supervisor.Locator(".crm-customer-form textarea").Nth(1).FillAsync("主管补充：下季度续约");
        await supervisor.Locator(".crm-customer-form .crm-save").ClickAsync();
        // Within a second of the click reaching the page.
        await Assertions.Expect(rep.GetByText("主管补充：下季度续约")).ToBeVisibleAsync(new() { Timeout = 1000 });
        await BrowserFixture.ScreenshotAsync(rep, "customer-360-live-update-zh");

        // Two edits from the same version: the second save meets the conflict dialog, nothing is overwritten silently.
        await supervisor.Locator(".crm-edit-customer").ClickAsync();
        await rep.Locator(".crm-edit-customer").ClickAsync();
        await BrowserFixture.FocusedDialogAsync(supervisor, ".crm-customer-form");
        await BrowserFixture.FocusedDialogAsync(rep, ".crm-customer-form");
        await supervisor.Locator(".crm-customer-form textarea").Nth(1).FillAsync("主管的版本");
        await rep.Locator(".crm-customer-form textarea").Nth(1).FillAsync("销售的版本");
        await supervisor.Locator(".crm-customer-form .crm-save").ClickAsync();
        await Assertions.Expect(supervisor.Locator(".crm-customer-form")).ToHaveCountAsync(0);
        await rep.Locator(".crm-customer-form .crm-save").ClickAsync();
        var conflict = rep.Locator(".mud-message-box");
        await Assertions.Expect(conflict).ToContainTextAsync("其他人已保存了该客户");
        await BrowserFixture.ScreenshotAsync(rep, "customer-conflict-dialog-zh");
        await conflict.GetByText("重新加载").ClickAsync();
        await Assertions.Expect(rep.GetByText("主管的版本")).ToBeVisibleAsync();
        await Assertions.Expect(rep.GetByText("销售的版本")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_customer_count_reads_in_the_singular_for_one_customer_in_English()
    {
        await using var context = await browser.NewContextAsync("en");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-customer-count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ customers$"));
        var number = (await page.Locator(".crm-customer-grid tbody tr").First.Locator("td").Nth(1).InnerTextAsync()).Trim();
        Assert.StartsWith("CRM", number, StringComparison.Ordinal);

        await page.Locator(".crm-customer-search input").FillAsync(number);
        await Assertions.Expect(page.Locator(".crm-customer-grid tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".crm-customer-grid tbody tr td").Nth(1)).ToHaveTextAsync(number);
        await Assertions.Expect(page.Locator(".crm-customer-count")).ToHaveTextAsync("1 customer");
    }

    [Fact]
    public async Task A_saved_view_restores_its_filters_after_signing_out_and_in_again()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep2");
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await BrowserFixture.ChooseAsync(page, page.Locator(".crm-filter-bar .crm-filter-customerstatus"), "活跃");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator(".crm-customer-grid .crm-status").First).ToHaveTextAsync("活跃");
        await page.Locator(".crm-views").ClickAsync();
        await page.Locator(".crm-view-name input").FillAsync("我的活跃客户");
        await page.Locator(".crm-view-save").ClickAsync();
        await Assertions.Expect(page.GetByText("视图“我的活跃客户”已保存。")).ToBeVisibleAsync();

        await page.Locator(".crm-user-chip").ClickAsync();
        await page.Locator(".crm-signout").ClickAsync();
        await page.WaitForURLAsync("**/account/signin**");
        await BrowserFixture.SignInAsync(page, "demo-salesrep2");
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var allCount = await page.Locator(".crm-customer-count").InnerTextAsync();
        await page.Locator(".crm-views").ClickAsync();
        await page.Locator(".crm-view[data-view='我的活跃客户']").ClickAsync();

        await Assertions.Expect(page.Locator(".crm-customer-count")).Not.ToHaveTextAsync(allCount);
        var statuses = await page.Locator(".crm-customer-grid .crm-status").AllInnerTextsAsync();
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal("活跃", s.Trim()));
        await BrowserFixture.ScreenshotAsync(page, "customer-saved-view-zh");
    }

    [Fact]
    public async Task A_sales_rep_opening_another_reps_customer_by_URL_sees_a_friendly_refusal()
    {
        var (othersCustomer, _) = await browser.CustomerOfAsync("demo-salesrep2");
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");

        await page.GotoAsync($"/customers/{othersCustomer}");

        await Assertions.Expect(page.GetByText("该客户不属于您的负责范围。")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-customer-name")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "customer-not-yours-zh");
    }

    [Fact]
    public async Task Admin_pages_for_dictionaries_tags_and_permissions_render_in_Chinese()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");

        await page.GotoAsync("/admin/dictionaries");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-dictionary-table").GetByRole(AriaRole.Cell, new() { Name = "制造业", Exact = true })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-dictionaries-zh");

        await page.GotoAsync("/admin/tags");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.GetByText("决策周期长")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-tags-zh");

        await page.GotoAsync("/admin/permissions");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-permission-table").First.GetByRole(AriaRole.Cell, new() { Name = "客户档案", Exact = true })).ToBeVisibleAsync();
        // Only the rights the code checks are offered: deleting interactions is asked for nowhere.
        await Assertions.Expect(page.Locator("[data-cell='Supervisor/Customers/Edit']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-cell='Supervisor/Interactions/Delete']")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "admin-permissions-zh");
    }
}
