using System.Globalization;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC G1–G4 in Chromium: a ticket logged from the customer's page reaches its agent and the supervisor's board live, and is answered, resolved and followed up.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed partial class TicketPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_ticket_logged_from_the_customers_page_rings_the_agents_bell_and_reaches_the_supervisors_board_within_a_second_then_is_answered_resolved_surveyed_and_on_the_timeline()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 6);
        // The demo first-line group (round robin over 陈静 and 黄丽) takes "系统故障". 陈静 logs the ticket and is
        // marked away from the rotation, so it can only go to 黄丽: the agent whose browser is open before the save.
        await SetAwayAsync("demo-service", away: true);
        try
        {
            await using var serviceContext = await browser.NewContextAsync("zh-CN");
            await using var agentContext = await browser.NewContextAsync("zh-CN");
            await using var supervisorContext = await browser.NewContextAsync("zh-CN");
            var agent = await agentContext.NewPageAsync();
            await BrowserFixture.SignInAsync(agent, "demo-service2");
            var bell = agent.Locator(".crm-bell-badge .mud-badge");
            var unreadBefore = await bell.CountAsync() == 0 ? 0 : int.Parse((await bell.InnerTextAsync()).Trim(), CultureInfo.InvariantCulture);
            var board = await supervisorContext.NewPageAsync();
            await BrowserFixture.SignInAsync(board, "demo-supervisor");
            await board.GotoAsync("/tickets/board");
            await BrowserFixture.WaitUntilInteractiveAsync(board);
            await Assertions.Expect(board.Locator(".crm-board-column")).ToHaveCountAsync(6);

            var page = await serviceContext.NewPageAsync();
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
            await dialog.Locator(".crm-ticket-title input").FillAsync(Title);
            await dialog.Locator(".crm-ticket-description textarea").FillAsync("客户在报价单页面点击打印后浏览器无响应，已尝试清除缓存。");
            await BrowserFixture.ScreenshotAsync(page, "ticket-new-dialog-zh");
            await dialog.Locator(".crm-ticket-save").ClickAsync();

            // The save is done when the dialog leaves for the new ticket's page (under a loaded CI machine that alone took
            // seconds once, and was counted against the live bound below).
            await page.WaitForURLAsync(TicketUrl());

            // Both without a reload: the agent's bell and the supervisor's open board. Typically well under a second; the
            // bound is 5 s from the saved ticket because this suite shares two cores with the rest of the tests.
            var liveCard = board.Locator("[data-status='Assigned'] .crm-ticket-card").Filter(new() { HasText = Title });
            await Assertions.Expect(liveCard).ToBeVisibleAsync(new() { Timeout = 5000 });
            await Assertions.Expect(bell).ToHaveTextAsync((unreadBefore + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 5000 });

            await Assertions.Expect(page.Locator(".crm-ticket-assignee")).ToHaveTextAsync("黄丽");
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已分配给 黄丽");
            await Assertions.Expect(page.Locator(".crm-ticket-header .crm-ticket-status")).ToHaveTextAsync("已分配");
            var number = (await page.Locator(".crm-ticket-number").InnerTextAsync()).Trim();
            Assert.Matches(@"^TK\d{9}$", number);
            await Assertions.Expect(liveCard).ToHaveAttributeAsync("data-number", number);
            await Assertions.Expect(liveCard.Locator(".crm-ticket-assignee")).ToHaveTextAsync("黄丽");
            await BrowserFixture.ScreenshotAsync(board, "ticket-board-live-zh");

            // The agent opens it from the bell, answers and resolves it.
            await agent.Locator(".crm-bell").ClickAsync();
            var assigned = agent.Locator(".crm-notification-unread").Filter(new() { HasText = number });
            await Assertions.Expect(assigned).ToContainTextAsync($"陈静 将工单 {number} 分配给您");
            await agent.WaitForTimeoutAsync(400); // let the popover fade in for the screenshot
            await BrowserFixture.ScreenshotAsync(agent, "ticket-bell-agent-zh");
            await assigned.ClickAsync();
            await agent.WaitForURLAsync(TicketUrl());
            await Assertions.Expect(agent.Locator(".crm-ticket-number")).ToHaveTextAsync(number);

            await agent.Locator(".crm-ticket-kind-reply").ClickAsync();
            await Assertions.Expect(agent.Locator(".crm-ticket-composer")).ToHaveAttributeAsync("data-kind", "reply");
            await agent.Locator(".crm-ticket-comment-body textarea").FillAsync("您好，已收到，工程师正在排查打印组件。");
            await agent.Locator(".crm-ticket-comment-send").ClickAsync();
            await Assertions.Expect(agent.Locator(".crm-ticket-reply")).ToContainTextAsync("工程师正在排查打印组件");
            await Assertions.Expect(agent.Locator(".crm-ticket-header")).ToContainTextAsync("响应：按时");
            await BrowserFixture.ScreenshotAsync(agent, "ticket-page-zh");

            await agent.Locator(".crm-ticket-resolve").ClickAsync();
            var resolve = await BrowserFixture.FocusedDialogAsync(agent, ".crm-ticket-text-dialog");
            await resolve.Locator("textarea").FillAsync("已升级打印组件，请刷新页面后重试。");
            await resolve.Locator(".crm-ticket-text-confirm").ClickAsync();
            await Assertions.Expect(agent.Locator(".crm-ticket-header .crm-ticket-status")).ToHaveTextAsync("已解决");
            await Assertions.Expect(agent.Locator(".crm-ticket-history")).ToContainTextAsync("已分配 → 已解决");
            await Assertions.Expect(board.Locator($"[data-status='Resolved'] .crm-ticket-card[data-number='{number}']")).ToBeVisibleAsync();

            // The follow-up visit is the agent's: the customer's score and comment are recorded on the ticket.
            await agent.Locator(".crm-ticket-followup").ClickAsync();
            var survey = agent.Locator(".crm-followup-dialog");
            await survey.Locator(".crm-followup-score .mud-rating-item").Nth(3).ClickAsync();
            await Assertions.Expect(survey).ToContainTextAsync("4 · 满意");
            await survey.Locator(".crm-followup-comment textarea").FillAsync("处理及时，客户满意。");
            await BrowserFixture.ScreenshotAsync(agent, "ticket-followup-dialog-zh");
            await survey.Locator(".crm-followup-save").ClickAsync();
            await Assertions.Expect(agent.Locator(".crm-ticket-followup-entry")).ToContainTextAsync("满意度 4/5 分");
            await Assertions.Expect(agent.Locator(".crm-ticket-followup-entry")).ToContainTextAsync("处理及时，客户满意。");
            await Assertions.Expect(agent.Locator(".crm-ticket-followup")).ToHaveCountAsync(0);
            await BrowserFixture.ScreenshotAsync(agent, "ticket-followup-recorded-zh");

            // The customer's 360 timeline has all of it.
            await agent.Locator(".crm-ticket-customer-link").ClickAsync();
            await BrowserFixture.WaitUntilInteractiveAsync(agent);
            await Assertions.Expect(agent.Locator(".crm-timeline-entry[data-kind='ticket-created']").First).ToContainTextAsync($"创建工单 {number}：{Title}");
            await Assertions.Expect(agent.Locator(".crm-timeline-entry[data-kind='ticket-resolved']").First).ToContainTextAsync($"工单 {number} 已解决");
            var followUp = agent.Locator(".crm-timeline-entry[data-kind='ticket-followup']").First;
            await Assertions.Expect(followUp).ToContainTextAsync($"工单 {number} 已回访：满意度 4/5");
            await Assertions.Expect(followUp).ToContainTextAsync("处理及时，客户满意。");

            await agent.GotoAsync("/tickets");
            await BrowserFixture.WaitUntilInteractiveAsync(agent);
            await Assertions.Expect(agent.Locator(".crm-ticket-row").First).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(agent, "ticket-list-zh");
        }
        finally
        {
            await SetAwayAsync("demo-service", away: false);
        }
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

    private const string Title = "打印报价单时页面卡死";

    private async Task SetAwayAsync(string demoUser, bool away)
    {
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        await db.Users.Where(u => u.ExternalId == demoUser).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsAway, away));
    }

    [GeneratedRegex(@"/tickets/[0-9a-f-]{36}$")]
    private static partial Regex TicketUrl();
}
