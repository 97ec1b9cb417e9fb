using System.Text.RegularExpressions;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC F2 and the pipeline half of A4 in Chromium: the live pipeline board, a large deal's approval, and the funnel following it.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class PipelineBoardTests(BrowserFixture browser)
{
    /// <summary>Drop just inside a column's top edge: further down, a full column has cards under the pointer.</summary>
    private static readonly LocatorDragToOptions TopOfZone = new() { TargetPosition = new TargetPosition { X = 40, Y = 4 } };

    /// <summary>How long a live change may take to reach another browser on a loaded two-core machine.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions Live = new() { Timeout = 5000 };

    [Fact]
    public async Task A_large_deal_dragged_past_negotiation_waits_for_the_supervisors_approval_which_appears_live_and_moves_the_card_on_both_boards()
    {
        var number = await SeedAsync("demo-salesrep", "集团 ERP 全面升级项目", 80_000_000, OpportunityStage.Negotiation);
        await SeedAsync("demo-salesrep", "门店收银系统替换", 12_800_000, OpportunityStage.InitialContact);
        await SeedAsync("demo-salesrep", "供应链协同平台一期", 35_000_000, OpportunityStage.Proposal);
        await SeedAsync("demo-salesrep", "数据中台咨询服务", 6_600_000, OpportunityStage.NeedsAnalysis);
        await using var repContext = await browser.NewContextAsync("zh-CN");
        await using var supervisorContext = await browser.NewContextAsync("zh-CN");
        var rep = await repContext.NewPageAsync();
        var approvals = await supervisorContext.NewPageAsync();
        await BrowserFixture.SignInAsync(rep, "demo-salesrep");
        await BrowserFixture.SignInAsync(approvals, "demo-supervisor");
        var board = await supervisorContext.NewPageAsync();
        var funnel = await supervisorContext.NewPageAsync();
        foreach (var (page, path) in new[] { (rep, "/pipeline"), (board, "/pipeline"), (approvals, "/approvals"), (funnel, "/pipeline/funnel") })
        {
            await page.GotoAsync(path);
            await BrowserFixture.WaitUntilInteractiveAsync(page);
        }
        var card = $".crm-opportunity-card[data-number='{number}']";
        await Assertions.Expect(rep.Locator($"[data-stage='Negotiation'] {card}")).ToContainTextAsync(new Regex(@"¥800,000(?!\.)"));
        await Assertions.Expect(rep.Locator("[data-stage='Negotiation'] .crm-stage-weighted")).ToContainTextAsync("加权");
        await Assertions.Expect(approvals.Locator(".crm-approval", new() { HasText = number })).ToHaveCountAsync(0);
        // This month's funnel, open in the supervisor's third tab: how many of the month's deals reached the contract stage.
        var reachedContract = funnel.Locator(".crm-funnel-stages tr[data-stage='Contract'] .crm-funnel-reached");
        var contractsBefore = int.Parse(await reachedContract.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await rep.Locator(card).DragToAsync(rep.Locator("[data-stage='Contract'] .crm-board-zone"), TopOfZone);

        // It does not move: it waits, on the rep's board and, live, on the supervisor's; the request reaches the approval centre live.
        await Assertions.Expect(rep.Locator(".mud-snackbar")).ToContainTextAsync("需主管审批");
        await Assertions.Expect(rep.Locator($"[data-stage='Negotiation'] {card} .crm-awaiting-approval")).ToContainTextAsync("待审批");
        await Assertions.Expect(board.Locator($"[data-stage='Negotiation'] {card} .crm-awaiting-approval")).ToBeVisibleAsync(Live);
        var request = approvals.Locator(".crm-approval", new() { HasText = number });
        await Assertions.Expect(request).ToBeVisibleAsync(Live);
        await BrowserFixture.ScreenshotAsync(rep, "pipeline-board-awaiting-zh");
        await BrowserFixture.ScreenshotAsync(approvals, "pipeline-approval-zh");

        // The supervisor's bell has it too; its line leads to the approval centre.
        await approvals.Locator(".crm-bell").ClickAsync();
        var notice = approvals.Locator(".crm-notification-unread", new() { HasText = number });
        await Assertions.Expect(notice).ToContainTextAsync("张伟 提交了审批申请");
        await notice.ClickAsync();
        await Assertions.Expect(approvals.Locator(".crm-bell-panel")).ToBeHiddenAsync();
        await Assertions.Expect(request).ToBeVisibleAsync(Live);

        await request.Locator(".crm-approve").ClickAsync();

        // Carried out by the approval: the card moves on both boards without a reload.
        await Assertions.Expect(rep.Locator($"[data-stage='Contract'] {card}")).ToBeVisibleAsync(Live);
        await Assertions.Expect(rep.Locator($"{card} .crm-awaiting-approval")).ToHaveCountAsync(0, new() { Timeout = 5000 });
        await Assertions.Expect(board.Locator($"[data-stage='Contract'] {card}")).ToBeVisibleAsync(Live);
        // The funnel follows without a reload: one more deal of the month reached the contract stage.
        await Assertions.Expect(reachedContract).ToHaveTextAsync((contractsBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 5000 });
        await BrowserFixture.ScreenshotAsync(rep, "pipeline-board-zh");
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            var moved = await db.Opportunities.SingleAsync(o => o.Number == number);
            Assert.Equal(OpportunityStage.Contract, moved.Stage);
            Assert.Null(moved.PendingApprovalId);
        }

        await using var englishContext = await browser.NewContextAsync("en");
        var english = await englishContext.NewPageAsync();
        await BrowserFixture.SignInAsync(english, "demo-salesrep");
        await english.GotoAsync("/pipeline");
        await BrowserFixture.WaitUntilInteractiveAsync(english);
        await Assertions.Expect(english.Locator($"[data-stage='Contract'] {card}")).ToContainTextAsync(new Regex(@"CN¥800,000(?!\.)"));
        await Assertions.Expect(english.Locator(".crm-board-column[data-stage='Negotiation'] .crm-stage-header")).ToContainTextAsync("Negotiation");
        await BrowserFixture.ScreenshotAsync(english, "pipeline-board-en");
    }

    [Fact]
    public async Task A_deal_marked_lost_from_its_card_asks_for_the_reason_and_lands_in_the_lost_column_with_it()
    {
        var number = await SeedAsync("demo-salesrep2", "办公协同软件采购", 4_500_000, OpportunityStage.Proposal);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep2");
        await page.GotoAsync("/pipeline");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var card = page.Locator($".crm-opportunity-card[data-number='{number}']");

        await card.Locator(".crm-opportunity-menu button").ClickAsync();
        await page.Locator(".mud-popover-open .crm-opportunity-lost-action").ClickAsync();
        var dialog = page.Locator(".crm-lost-dialog");
        await dialog.Locator(".crm-lost-save").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("请选择输单原因");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-lostreason"), "选择了竞争对手");
        await dialog.Locator(".crm-lost-save").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"[data-stage='Lost'] .crm-opportunity-card[data-number='{number}'] .crm-lost-reason")).ToContainTextAsync("选择了竞争对手");
    }

    [Fact]
    public async Task The_card_opens_the_opportunity_page_whose_move_shows_live_elsewhere_a_supervisor_reassigns_it_and_the_customers_tab_lists_it()
    {
        // 420,000 yuan: below the approval amount, so a move goes at once.
        var number = await SeedAsync("demo-salesrep", "智能仓储系统改造", 42_000_000, OpportunityStage.Proposal);
        await using var repContext = await browser.NewContextAsync("zh-CN");
        await using var supervisorContext = await browser.NewContextAsync("zh-CN");
        var rep = await repContext.NewPageAsync();
        var supervisor = await supervisorContext.NewPageAsync();
        await BrowserFixture.SignInAsync(rep, "demo-salesrep");
        await BrowserFixture.SignInAsync(supervisor, "demo-supervisor");
        await rep.GotoAsync("/pipeline");
        await BrowserFixture.WaitUntilInteractiveAsync(rep);

        await rep.Locator($".crm-opportunity-card[data-number='{number}'] .crm-opportunity-name").ClickAsync();

        await Assertions.Expect(rep).ToHaveURLAsync(new Regex(@"/pipeline/[0-9a-f-]{36}$"));
        var page = rep.Url;
        await Assertions.Expect(rep.Locator(".crm-opportunity-title")).ToHaveTextAsync("智能仓储系统改造");
        var facts = rep.Locator(".crm-opportunity-facts");
        await Assertions.Expect(facts).ToContainTextAsync("¥420,000.00");
        await Assertions.Expect(facts).ToContainTextAsync(new Regex(@"加权金额（40%）\s*¥168,000.00"));
        await Assertions.Expect(facts).ToContainTextAsync("张伟");
        await Assertions.Expect(rep.Locator(".crm-opportunity-stage")).ToHaveTextAsync("方案报价");
        await Assertions.Expect(rep.Locator(".crm-stage-span")).ToHaveCountAsync(1);
        await Assertions.Expect(rep.Locator(".crm-stage-span[data-stage='Proposal']")).ToContainTextAsync("至今");
        await Assertions.Expect(rep.Locator(".crm-opportunity-reassign")).ToHaveCountAsync(0); // a rep's deals are their own
        await supervisor.GotoAsync(page);
        await BrowserFixture.WaitUntilInteractiveAsync(supervisor);
        await Assertions.Expect(supervisor.Locator(".crm-opportunity-stage")).ToHaveTextAsync("方案报价");

        await rep.Locator(".crm-opportunity-move button").ClickAsync();
        await rep.Locator(".mud-popover-open .crm-move-to-negotiation").ClickAsync();

        await Assertions.Expect(rep.Locator(".crm-opportunity-stage")).ToHaveTextAsync("商务谈判");
        await Assertions.Expect(rep.Locator(".crm-stage-span")).ToHaveCountAsync(2);
        await Assertions.Expect(rep.Locator(".crm-stage-span[data-stage='Proposal']")).ToContainTextAsync("在此阶段");
        await Assertions.Expect(facts).ToContainTextAsync(new Regex(@"加权金额（60%）\s*¥252,000.00"));
        await Assertions.Expect(supervisor.Locator(".crm-opportunity-stage")).ToHaveTextAsync("商务谈判", new() { Timeout = 5000 });

        await supervisor.Locator(".crm-opportunity-reassign").ClickAsync();
        var dialog = supervisor.Locator(".crm-reassign-dialog");
        await BrowserFixture.ChooseAsync(supervisor, dialog.Locator(".crm-reassign-owner"), "李明");
        await dialog.Locator(".crm-reassign-save").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(supervisor.Locator(".crm-opportunity-facts")).ToContainTextAsync("李明");
        await Assertions.Expect(facts).ToContainTextAsync("李明", new() { Timeout = 5000 });
        await BrowserFixture.ScreenshotAsync(rep, "opportunity-page-zh");

        // The customer's 360 page: the opening on the timeline, the deal in the Opportunities tab, linking back.
        await rep.Locator(".crm-opportunity-customer").ClickAsync();
        await Assertions.Expect(rep).ToHaveURLAsync(new Regex(@"/customers/[0-9a-f-]{36}$"));
        var customerPage = rep.Url;
        await Assertions.Expect(rep.Locator(".crm-timeline")).ToContainTextAsync($"新建商机 {number}：智能仓储系统改造");
        await rep.GetByRole(AriaRole.Tab, new() { Name = "商机" }).ClickAsync();
        var row = rep.Locator($".crm-customer-opportunity[data-number='{number}']");
        await Assertions.Expect(row).ToContainTextAsync("商务谈判");
        await Assertions.Expect(row).ToContainTextAsync("李明");
        await Assertions.Expect(row).ToContainTextAsync("¥420,000.00");
        await BrowserFixture.ScreenshotAsync(rep, "customer-opportunities-zh");
        await row.Locator(".crm-customer-opportunity-link").ClickAsync();
        await Assertions.Expect(rep).ToHaveURLAsync(page);

        await using var englishContext = await browser.NewContextAsync("en");
        var english = await englishContext.NewPageAsync();
        await BrowserFixture.SignInAsync(english, "demo-salesrep");
        await english.GotoAsync(page);
        await BrowserFixture.WaitUntilInteractiveAsync(english);
        await Assertions.Expect(english.Locator(".crm-opportunity-stage")).ToHaveTextAsync("Negotiation");
        await Assertions.Expect(english.Locator(".crm-opportunity-facts")).ToContainTextAsync(new Regex(@"Weighted amount \(60%\)\s*CN¥252,000.00"));
        await BrowserFixture.ScreenshotAsync(english, "opportunity-page-en");
        await english.GotoAsync(customerPage);
        await BrowserFixture.WaitUntilInteractiveAsync(english);
        await english.GetByRole(AriaRole.Tab, new() { Name = "Opportunities" }).ClickAsync();
        await Assertions.Expect(english.Locator($".crm-customer-opportunity[data-number='{number}']")).ToContainTextAsync("Negotiation");
        await BrowserFixture.ScreenshotAsync(english, "customer-opportunities-en");
    }

    /// <summary>An opportunity on the rep's first customer, written straight to the database (as the demand board's tests seed demands).</summary>
    private async Task<string> SeedAsync(string owner, string name, long amountFen, OpportunityStage stage)
    {
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        var user = await db.Users.SingleAsync(u => u.ExternalId == owner);
        var customerId = await db.Customers.Where(c => c.OwnerId == user.Id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // A series of its own (as the ticket tests' TK2099…): the number does not depend on today's date, nor meet the app's.
        var number = $"OP2099{await NumberSequences.NextAsync(db, "opportunity:2099", CancellationToken.None):0000}";
        var now = DateTime.UtcNow;
        var opportunity = new Opportunity
        {
            Number = number, CustomerId = customerId, Name = name, AmountFen = amountFen, ExpectedCloseOn = DateOnly.FromDateTime(now.AddDays(45)),
            OwnerId = user.Id, Stage = stage, StageEnteredAt = now,
        };
        db.Opportunities.Add(opportunity);
        db.OpportunityStageChanges.Add(new OpportunityStageChange { OpportunityId = opportunity.Id, ToStage = stage, At = now, ById = user.Id, ByName = user.DisplayName });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return number;
    }
}
