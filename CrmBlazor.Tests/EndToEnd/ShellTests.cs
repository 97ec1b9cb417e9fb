using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class ShellTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_sales_rep_signs_in_sees_the_shell_in_Chinese_switches_to_English_and_signs_out()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/account/signin**");
        await Assertions.Expect(page.GetByText("开发环境登录")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "signin-zh");

        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "张伟，您好" })).ToBeVisibleAsync();
        var nav = page.Locator(".mud-navmenu");
        await Assertions.Expect(nav.GetByText("我的工作")).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByText("客户档案")).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByText("操作日志")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "shell-salesrep-zh");

        await page.Locator(".crm-language button").First.ClickAsync();
        await page.Locator(".crm-language-en").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Hello, 张伟" })).ToBeVisibleAsync();
        await Assertions.Expect(nav.GetByText("Customers")).ToBeVisibleAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "shell-salesrep-en");

        await page.Locator(".crm-user-chip").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-signout")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400); // let the popover's fade-in finish for the screenshot
        await BrowserFixture.ScreenshotAsync(page, "user-menu-en");
        await page.Locator(".crm-signout").ClickAsync();
        await page.WaitForURLAsync("**/account/signin**");
        await Assertions.Expect(page.Locator("button[data-user='demo-salesrep']")).ToBeVisibleAsync();
        await page.GotoAsync("/customers");
        await page.WaitForURLAsync("**/account/signin**");
    }

    [Fact]
    public async Task A_sales_rep_sees_only_own_customers_in_the_list()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");

        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-customer-grid tbody tr", new() { HasText = "CRM" }).First).ToBeVisibleAsync();
        var owners = await page.Locator(".crm-customer-grid tbody td.crm-owner").AllInnerTextsAsync();

        Assert.NotEmpty(owners);
        Assert.All(owners, owner => Assert.Equal("张伟", owner.Trim()));
        await BrowserFixture.ScreenshotAsync(page, "customers-salesrep-zh");
    }

    [Fact]
    public async Task An_admin_sees_the_audit_log_with_the_sign_ins()
    {
        await using var context = await browser.NewContextAsync("en");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");

        await page.Locator(".mud-navmenu").GetByText("Audit log").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Signed in" }).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "audit-admin-en");
    }
}
