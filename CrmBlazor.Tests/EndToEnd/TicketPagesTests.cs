using System.Text.RegularExpressions;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC G1, G3 in Chromium: customer service logs a ticket from the customer's page, answers and resolves it.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed partial class TicketPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task Customer_service_logs_a_ticket_from_the_customers_tickets_tab_replies_resolves_and_the_timeline_shows_both()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 6);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-service");
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.GetByRole(AriaRole.Tab, new() { Name = "工单" }).ClickAsync();
        await Assertions.Expect(page.Locator(".crm-customer-tickets-empty")).ToContainTextAsync("该客户暂无工单");
        await page.Locator(".crm-customer-new-ticket").ClickAsync();
        var dialog = page.Locator(".crm-new-ticket-dialog");
        await dialog.Locator(".crm-ticket-save").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("请填写工单标题");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-ticketcategory"), "系统故障");
        await dialog.Locator(".crm-ticket-title input").FillAsync("打印报价单时页面卡死");
        await dialog.Locator(".crm-ticket-description textarea").FillAsync("客户在报价单页面点击打印后浏览器无响应，已尝试清除缓存。");
        await BrowserFixture.ScreenshotAsync(page, "ticket-new-dialog-zh");
        await dialog.Locator(".crm-ticket-save").ClickAsync();

        await page.WaitForURLAsync(TicketUrl());
        var assignee = page.Locator(".crm-ticket-assignee");
        await Assertions.Expect(assignee).ToHaveTextAsync(new Regex("^(陈静|黄丽)$"));
        var agent = (await assignee.InnerTextAsync()).Trim();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"已分配给 {agent}");
        await Assertions.Expect(page.Locator(".crm-ticket-header .crm-ticket-status")).ToHaveTextAsync("已分配");
        var number = (await page.Locator(".crm-ticket-number").InnerTextAsync()).Trim();
        Assert.Matches(@"^TK\d{9}$", number);

        await page.Locator(".crm-ticket-kind-reply").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-ticket-composer")).ToHaveAttributeAsync("data-kind", "reply");
        await page.Locator(".crm-ticket-comment-body textarea").FillAsync("您好，已收到，工程师正在排查打印组件。");
        await page.Locator(".crm-ticket-comment-send").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-ticket-reply")).ToContainTextAsync("工程师正在排查打印组件");
        await Assertions.Expect(page.Locator(".crm-ticket-header")).ToContainTextAsync("响应：按时");
        await BrowserFixture.ScreenshotAsync(page, "ticket-page-zh");

        await page.Locator(".crm-ticket-resolve").ClickAsync();
        var resolve = page.Locator(".crm-ticket-text-dialog");
        await resolve.Locator("textarea").FillAsync("已升级打印组件，请刷新页面后重试。");
        await resolve.Locator(".crm-ticket-text-confirm").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-ticket-header .crm-ticket-status")).ToHaveTextAsync("已解决");
        await Assertions.Expect(page.Locator(".crm-ticket-history")).ToContainTextAsync("已分配 → 已解决");

        await page.Locator(".crm-ticket-followup").ClickAsync();
        var survey = page.Locator(".crm-followup-dialog");
        await survey.Locator(".crm-followup-score .mud-rating-item").Nth(3).ClickAsync();
        await Assertions.Expect(survey).ToContainTextAsync("4 · 满意");
        await survey.Locator(".crm-followup-comment textarea").FillAsync("处理及时，客户满意。");
        await BrowserFixture.ScreenshotAsync(page, "ticket-followup-dialog-zh");
        await survey.Locator(".crm-followup-save").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-ticket-followup-entry")).ToContainTextAsync("满意度 4/5 分");
        await Assertions.Expect(page.Locator(".crm-ticket-followup-entry")).ToContainTextAsync("处理及时，客户满意。");
        await Assertions.Expect(page.Locator(".crm-ticket-followup")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "ticket-followup-recorded-zh");

        await page.Locator(".crm-ticket-customer-link").ClickAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-timeline-entry[data-kind='ticket-created']").First).ToContainTextAsync($"创建工单 {number}：打印报价单时页面卡死");
        await Assertions.Expect(page.Locator(".crm-timeline-entry[data-kind='ticket-resolved']").First).ToContainTextAsync($"工单 {number} 已解决");
        var followUp = page.Locator(".crm-timeline-entry[data-kind='ticket-followup']").First;
        await Assertions.Expect(followUp).ToContainTextAsync($"工单 {number} 已回访：满意度 4/5");
        await Assertions.Expect(followUp).ToContainTextAsync("处理及时，客户满意。");

        await page.GotoAsync("/tickets");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-ticket-row").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "ticket-list-zh");
    }

    [Fact]
    public async Task A_supervisor_reads_the_list_and_a_ticket_in_English_and_may_reassign_it()
    {
        await using var context = await browser.NewContextAsync("en");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/tickets");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.Locator(".crm-ticket-row").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-ticket-grid")).ToContainTextAsync("Response");
        await BrowserFixture.ScreenshotAsync(page, "ticket-list-en");

        await page.Locator(".crm-new-ticket").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-new-ticket-dialog")).ToContainTextAsync("Severity");
        await BrowserFixture.ScreenshotAsync(page, "ticket-new-dialog-en");
        await page.Keyboard.PressAsync("Escape");

        await page.Locator(".crm-ticket-row .crm-ticket-link").First.ClickAsync();
        await page.WaitForURLAsync(TicketUrl());
        await Assertions.Expect(page.Locator(".crm-ticket-assign")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-ticket-history")).ToContainTextAsync("Created");
        await BrowserFixture.ScreenshotAsync(page, "ticket-page-en");
    }

    [GeneratedRegex(@"/tickets/[0-9a-f-]{36}$")]
    private static partial Regex TicketUrl();
}
