using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class InteractionPagesTests(BrowserFixture browser)
{
    /// <summary>Today where the company is, as the running app shows dates (Company:TimeZone's default).</summary>
    private static DateTime CompanyToday() => TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, new CrmBlazor.Domain.Common.CompanyOptions().TimeZone).Date;

    [Fact]
    public async Task A_sales_rep_logs_a_visit_with_a_to_do_and_sees_it_on_the_timeline_after_an_empty_attempt_is_refused()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", descending: true);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator(".crm-log-interaction").ClickAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-interaction-dialog");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-interactiontype"), "上门拜访");
        await dialog.Locator(".crm-interaction-save").ClickAsync();
        await Assertions.Expect(dialog.GetByText("请至少填写主题、沟通内容或客户反馈之一。")).ToBeVisibleAsync();

        await dialog.Locator(".crm-interaction-topic input").FillAsync("年度续约拜访");
        await dialog.Locator(".crm-interaction-summary textarea").FillAsync("客户计划明年扩容 200 个账号，关注数据安全。");
        await dialog.Locator(".crm-add-todo").ClickAsync();
        await dialog.GetByLabel("待办内容").FillAsync("准备扩容报价");
        await BrowserFixture.ScreenshotAsync(page, "interaction-form-zh");
        await dialog.Locator(".crm-interaction-save").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".crm-timeline-entry[data-kind='interaction']").First).ToContainTextAsync("上门拜访：年度续约拜访");
        await Assertions.Expect(page.Locator(".crm-customer-header")).ToContainTextAsync(CompanyToday().ToString("yyyy/M/d", System.Globalization.CultureInfo.InvariantCulture));
        await BrowserFixture.ScreenshotAsync(page, "customer-360-interaction-zh");

        // The to-do is on My work, and done there.
        await page.GotoAsync("/");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var todo = page.Locator(".crm-my-todos .crm-todo", new() { HasText = "准备扩容报价" });
        await Assertions.Expect(todo).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "my-work-zh");
        await todo.Locator(".crm-todo-done").ClickAsync();
        await Assertions.Expect(todo).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task From_my_work_a_sales_rep_picks_a_customer_logs_a_call_and_the_new_to_do_leads_the_newest_first_list()
    {
        var (customerId, number) = await browser.CustomerOfAsync("demo-salesrep", skip: 1, descending: true);
        await using (var db = CrmBlazor.Domain.Data.DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            // What the reminder job leaves for a customer not contacted for three days.
            var rep = db.Users.Single(u => u.ExternalId == "demo-salesrep");
            db.Notifications.Add(new CrmBlazor.Domain.Notifications.Notification
            {
                UserId = rep.Id, Kind = CrmBlazor.Domain.Interactions.ReminderJob.NotContacted, Values = "[\"青岛测试客户\",\"3\"]",
                Subject = CrmBlazor.Domain.Notifications.NotificationSubject.Customer(customerId).ToString(), DedupKey = $"e2e-not-contacted:{customerId}", CreatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        var reminder = page.Locator(".crm-my-reminders .crm-reminder-unread", new() { HasText = "青岛测试客户" });
        await Assertions.Expect(reminder).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-my-tasks .crm-my-task").First).ToBeVisibleAsync(); // the demo's demand tasks
        await BrowserFixture.ScreenshotAsync(page, "my-work-sections-zh");

        await page.Locator(".crm-log-interaction").ClickAsync();
        var pick = await BrowserFixture.FocusedDialogAsync(page, ".crm-customer-pick");
        await pick.Locator(".crm-customer-pick-search input").FillAsync(number);
        var result = pick.Locator(".crm-customer-pick-item", new() { HasText = number });
        await Assertions.Expect(pick.Locator(".crm-customer-pick-item")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, "my-work-customer-pick-zh");
        await result.ClickAsync();

        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-interaction-dialog");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-interactiontype"), "电话沟通");
        await dialog.Locator(".crm-interaction-summary textarea").FillAsync("电话确认合同条款，客户同意下周签署。");
        await dialog.Locator(".crm-add-todo").ClickAsync();
        await dialog.GetByLabel("待办内容").FillAsync("寄送合同样本");
        await dialog.Locator(".crm-interaction-save").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        var todos = page.Locator(".crm-my-todos .crm-todo");
        await Assertions.Expect(todos.Filter(new() { HasText = "寄送合同样本" })).ToContainTextAsync(number);
        await page.Locator(".crm-todo-sort").GetByText("最新").ClickAsync();
        await Assertions.Expect(todos.First).ToContainTextAsync("寄送合同样本");

        // Opening the reminder reads it and goes to the customer.
        // The section may be re-rendering from the live events of the call just logged: a click on an element
        // being replaced is lost, so click again until the page moves (the reminder stays until it is opened).
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator(".crm-my-reminders .crm-reminder", new() { HasText = "青岛测试客户" }).ClickAsync();
            try
            {
                await page.WaitForURLAsync($"**/customers/{customerId}", new() { Timeout = 5_000, WaitUntil = WaitUntilState.Commit });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator(".crm-my-reminders .crm-reminder", new() { HasText = "青岛测试客户" })).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("crm-reminder-unread"));
    }
}
