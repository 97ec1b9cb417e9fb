using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// Issue 19 in Chromium: an open 360 page follows every change of its customer, also the ones a job makes on another
/// instance (the monthly tier run, the silent marking) and a merge, without a reload.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class CustomerLivePagesTests(BrowserFixture browser, LiveAppFixture app) : IClassFixture<LiveAppFixture>
{
    [Fact]
    public async Task An_open_360_page_shows_the_tier_the_monthly_run_on_another_instance_gives_without_a_reload()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 4, 1, 0, 30, 0, TimeSpan.FromHours(8))); // half past midnight, 1 April, Shanghai
        var customerId = await CustomerOfAsync("demo-salesrep", skip: 0);
        await using (var db = DomainServices.CreateSystemContext(app.Database, clock))
        {
            // Rated A, but with no orders the rules give C.
            await db.Orders.Where(o => o.CustomerId == customerId).ExecuteDeleteAsync();
            await db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Tier, "A").SetProperty(c => c.TierOverride, (string?)null));
            await db.TierEvaluationRuns.ExecuteDeleteAsync();
        }
        var page = await OpenAsync("demo-salesrep", customerId);
        var tier = page.Locator(".crm-customer-header .crm-tier");
        await Assertions.Expect(tier).ToHaveTextAsync("A");

        Assert.True(await app.System<TierJob>(clock).RunAsync());

        await Assertions.Expect(tier).ToHaveTextAsync("C", new() { Timeout = 5000 });
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("该客户刚被系统任务更新");
        Assert.True(await NotReloadedAsync(page));
        await page.WaitForTimeoutAsync(500); // the snackbar fully faded in, for a readable screenshot
        await BrowserFixture.ScreenshotAsync(page, "customer-live-tier-zh");
    }

    [Fact]
    public async Task An_open_360_page_shows_its_customer_turn_silent_when_another_instance_marks_it_without_a_reload()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 4, 15, 10, 0, 0, TimeSpan.FromHours(8)));
        var customerId = await CustomerOfAsync("demo-salesrep", skip: 1);
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = DomainServices.CreateSystemContext(app.Database, clock))
        {
            // Everyone contacted yesterday and every to-do done, except this customer: last contacted 120 days ago.
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, now.AddDays(-1)));
            await db.Todos.Where(t => t.DoneAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.DoneAt, now));
            await db.Customers.Where(c => c.Id == customerId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CustomerStatuses.Active).SetProperty(c => c.LastContactAt, now.AddDays(-120)));
        }
        var page = await OpenAsync("demo-salesrep", customerId);
        var status = page.Locator(".crm-customer-header .crm-status");
        await Assertions.Expect(status).ToHaveTextAsync("活跃");

        await app.System<ReminderJob>(clock).RunAsync();

        await Assertions.Expect(status).ToHaveTextAsync("沉默", new() { Timeout = 5000 });
        Assert.True(await NotReloadedAsync(page));
        await page.WaitForTimeoutAsync(500);
        await BrowserFixture.ScreenshotAsync(page, "customer-live-silent-zh");
        await using var check = DomainServices.CreateSystemContext(app.Database, clock);
        Assert.Equal(1, await check.CustomerStatusChanges.CountAsync(c => c.ToStatus == CustomerStatuses.Silent && c.At == now)); // only this one turned silent
    }

    [Fact]
    public async Task When_a_merge_absorbs_an_open_customer_its_page_says_where_it_went_and_the_survivors_page_shows_what_moved()
    {
        var survivorId = await CustomerOfAsync("demo-salesrep", skip: 2);
        var mergedId = await CustomerOfAsync("demo-salesrep", skip: 3);
        var mergedPage = await OpenAsync("demo-salesrep", mergedId);
        var survivorPage = await OpenAsync("demo-admin", survivorId);
        var contactsBefore = await survivorPage.Locator(".crm-contact").CountAsync();

        var merge = await app.Get<CustomerMerge>("demo-salesrep");
        var request = await merge.RequestAsync(new MergePlan(survivorId, mergedId, []));
        await (await app.Get<ApprovalService>("demo-admin")).DecideAsync(request.Id, request.Version, approve: true, "同一家公司");
        await (await app.Get<CustomerMerge>("demo-salesrep")).ExecuteAsync(request.Id);

        var alert = mergedPage.Locator(".crm-customer-merged-into");
        await Assertions.Expect(alert).ToContainTextAsync("刚刚被合并到另一个客户", new() { Timeout = 5000 });
        Assert.True(await NotReloadedAsync(mergedPage));
        await Assertions.Expect(survivorPage.Locator(".mud-snackbar")).ToContainTextAsync("刚刚修改了该客户");
        await Assertions.Expect(survivorPage.Locator(".crm-timeline-entry").First).ToBeVisibleAsync();
        Assert.True(await survivorPage.Locator(".crm-contact").CountAsync() > contactsBefore, "the merged customer's contacts show on the survivor's open page");
        Assert.True(await NotReloadedAsync(survivorPage));
        await mergedPage.WaitForTimeoutAsync(500);
        await BrowserFixture.ScreenshotAsync(mergedPage, "customer-live-merged-zh");

        await alert.Locator(".crm-customer-merged-into-link").ClickAsync();
        await mergedPage.WaitForURLAsync($"**/customers/{survivorId}");
        await Assertions.Expect(mergedPage.Locator(".crm-customer-merged-into")).ToHaveCountAsync(0);
        await Assertions.Expect(mergedPage.Locator(".crm-customer-header")).ToBeVisibleAsync();
    }

    private async Task<IPage> OpenAsync(string demoUser, Guid customerId)
    {
        var context = await app.NewContextAsync(browser.Browser, "zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, demoUser);
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-customer-header")).ToBeVisibleAsync();
        await page.EvaluateAsync("() => window.crmSameDocument = true"); // gone if the page reloads
        return page;
    }

    private static Task<bool> NotReloadedAsync(IPage page) => page.EvaluateAsync<bool>("() => window.crmSameDocument === true");

    private async Task<Guid> CustomerOfAsync(string demoUser, int skip)
    {
        await using var db = DomainServices.CreateSystemContext(app.Database, TimeProvider.System);
        return await db.Customers.Where(c => c.Owner!.ExternalId == demoUser).OrderBy(c => c.Number).Skip(skip).Select(c => c.Id).FirstAsync();
    }
}
