using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC D3, D4 in Chromium: live boards, conflicts, closure with evidence, delays.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class DemandBoardTests(BrowserFixture browser)
{
    /// <summary>Drop just inside a column's top edge: further down, a full column has cards under the pointer.</summary>
    private static readonly LocatorDragToOptions TopOfZone = new() { TargetPosition = new TargetPosition { X = 40, Y = 4 } };

    [Fact]
    public async Task A_card_dragged_on_one_board_moves_on_another_within_a_second_and_of_two_people_moving_it_at_once_the_later_gets_the_conflict()
    {
        var (demandId, number) = await browser.CreateDemandAsync("demo-salesrep", "看板实时同步测试：需要定制化数据看板", DemandPriority.High);
        await using var supervisorContext = await browser.NewContextAsync("zh-CN");
        await using var adminContext = await browser.NewContextAsync("zh-CN");
        var a = await supervisorContext.NewPageAsync();
        var b = await adminContext.NewPageAsync();
        await BrowserFixture.SignInAsync(a, "demo-supervisor");
        await BrowserFixture.SignInAsync(b, "demo-admin");
        foreach (var page in new[] { a, b })
        {
            await page.GotoAsync("/demands");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
        }
        await Assertions.Expect(a.Locator($"[data-status='Open'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync();
        await Assertions.Expect(b.Locator($"[data-status='Open'] .crm-demand-card[data-number='{number}']")).ToContainTextAsync("剩余");
        await BrowserFixture.ScreenshotAsync(b, "demand-board-zh");

        await a.Locator($".crm-demand-card[data-number='{number}']").DragToAsync(a.Locator("[data-status='InProgress'] .crm-board-zone"), TopOfZone);

        // Within a second of the drop, without a reload.
        await Assertions.Expect(b.Locator($"[data-status='InProgress'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync(new() { Timeout = 1000 });
        await Assertions.Expect(a.Locator($"[data-status='InProgress'] .crm-demand-card[data-number='{number}']")).ToContainTextAsync("按时响应");

        // Both pick the card up; A drops it first, B a moment later from what B picked up.
        var onB = b.Locator($".crm-demand-card[data-number='{number}']");
        var from = (await onB.BoundingBoxAsync())!;
        await b.Mouse.MoveAsync(from.X + 30, from.Y + 20);
        await b.Mouse.DownAsync();
        await b.Mouse.MoveAsync(from.X + 60, from.Y + 50, new() { Steps = 5 });
        await a.Locator($".crm-demand-card[data-number='{number}']").DragToAsync(a.Locator("[data-status='AwaitingConfirmation'] .crm-board-zone"), TopOfZone);
        await Assertions.Expect(a.Locator($"[data-status='AwaitingConfirmation'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync();
        var to = (await b.Locator("[data-status='Open'] .crm-board-zone").BoundingBoxAsync())!;
        await b.Mouse.MoveAsync(to.X + 40, to.Y + 4, new() { Steps = 5 });
        await b.Mouse.UpAsync();

        await Assertions.Expect(b.Locator(".mud-snackbar")).ToContainTextAsync($"{number} 刚被其他人移动过");
        await Assertions.Expect(b.Locator($"[data-status='AwaitingConfirmation'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(b, "demand-board-conflict-zh");
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        Assert.Equal(DemandStatus.AwaitingConfirmation, (await db.Demands.SingleAsync(d => d.Id == demandId)).Status);
    }

    [Fact]
    public async Task A_card_moves_with_the_keyboard_alone_and_a_stale_move_is_announced_as_a_conflict()
    {
        var (demandId, number) = await browser.CreateDemandAsync("demo-salesrep", "键盘移动测试：不用鼠标调整需求状态", DemandPriority.Medium);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/demands");
        await BrowserFixture.WaitUntilLoadedAsync(page);
        var card = page.Locator($".crm-demand-card[data-number='{number}']");
        await Assertions.Expect(page.Locator("[data-status='Open']").Locator(card)).ToBeVisibleAsync();

        // Focus the card's move button (named for the card), open its menu with Enter: the first column is focused;
        // the arrow key goes to the next and Enter moves the card there.
        var move = card.Locator(".crm-demand-move button");
        await Assertions.Expect(move).ToHaveAttributeAsync("aria-label", $"移动 {number}");
        await move.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-popover-open .crm-move-to-InProgress")).ToBeFocusedAsync();
        await BrowserFixture.ScreenshotAsync(page, "demand-board-move-menu-zh");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator(".mud-popover-open .crm-move-to-AwaitingConfirmation")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.Locator("[data-status='AwaitingConfirmation']").Locator(card)).ToBeVisibleAsync();
        var announcement = page.Locator(".crm-board-announcement[role='status']");
        await Assertions.Expect(announcement).ToHaveTextAsync($"{number} 已移到“待客户确认”。");
        await Assertions.Expect(move).ToBeFocusedAsync(); // focus follows the card to its new column

        // Someone else moves it meanwhile (no live event reaches this board): the move from the stale card is a conflict, said aloud.
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            await db.Demands.Where(d => d.Id == demandId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DemandStatus.InProgress).SetProperty(d => d.Version, d => d.Version + 1));
        }
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-popover-open .crm-move-to-Open")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(announcement).ToContainTextAsync($"{number} 刚被其他人移动过");
        await Assertions.Expect(page.Locator("[data-status='InProgress']").Locator(card)).ToBeVisibleAsync();
        await using var check = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        Assert.Equal(DemandStatus.InProgress, (await check.Demands.SingleAsync(d => d.Id == demandId)).Status);
    }

    /// <summary>
    /// A card's move button is plain markup until pressed (a MudMenu per card would stay in every open tab's memory):
    /// pressed with the mouse it opens the real menu, which moves the card; Escape closes it, and the focus stays on the card.
    /// </summary>
    [Fact]
    public async Task A_cards_move_menu_built_on_demand_opens_with_the_mouse_moves_the_card_and_closes_by_a_click_beside_it_or_Escape_back_to_its_button()
    {
        var (demandId, number) = await browser.CreateDemandAsync("demo-salesrep", "鼠标菜单测试：按需生成的移动菜单", DemandPriority.Low);
        await using var context = await browser.NewContextAsync("en");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/demands");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var card = page.Locator($".crm-demand-card[data-number='{number}']");
        await Assertions.Expect(page.Locator("[data-status='Open']").Locator(card)).ToBeVisibleAsync();
        var move = card.Locator(".crm-demand-move button");
        Assert.Equal(0, await page.Locator(".crm-demand-move .mud-popover-cascading-value").CountAsync()); // no card holds a menu yet

        // Opened with the mouse, closed by a click beside it; opened with Enter, closed with Escape: back on the card's button.
        await move.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .crm-move-to-Done")).ToBeVisibleAsync();
        await Assertions.Expect(move).ToHaveAttributeAsync("aria-expanded", "true");
        await page.Locator("h1").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await Assertions.Expect(move).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(move).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-popover-open .crm-move-to-InProgress")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await Assertions.Expect(move).ToBeFocusedAsync();
        Assert.Equal(DemandStatus.Open, await DemandStatusAsync(demandId));

        await move.ClickAsync();
        await page.Locator(".mud-popover-open .crm-move-to-InProgress").ClickAsync();
        await Assertions.Expect(page.Locator("[data-status='InProgress']").Locator(card)).ToBeVisibleAsync();
        Assert.Equal(DemandStatus.InProgress, await DemandStatusAsync(demandId));
    }

    private async Task<DemandStatus> DemandStatusAsync(Guid demandId)
    {
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        return (await db.Demands.SingleAsync(d => d.Id == demandId)).Status;
    }

    [Fact]
    public async Task Closing_from_the_board_refuses_a_disguised_exe_then_closes_with_a_real_scan_and_the_file_downloads()
    {
        var (demandId, number) = await browser.CreateDemandAsync("demo-salesrep", "关闭凭证测试：增加培训服务", DemandPriority.Medium);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync("/demands");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator($".crm-demand-card[data-number='{number}']").DragToAsync(page.Locator("[data-status='Done'] .crm-board-zone"), TopOfZone);
        var dialog = page.Locator(".crm-closure-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.Locator(".crm-closure-confirm").ClickAsync();
        await Assertions.Expect(dialog.Locator(".crm-closure-error")).ToContainTextAsync("关闭需求前请上传客户确认凭证");

        await dialog.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "客户签字.png", MimeType = "image/png", Buffer = DemandTests.Exe });
        await dialog.Locator(".crm-closure-confirm").ClickAsync();
        await Assertions.Expect(dialog.Locator(".crm-closure-error")).ToContainTextAsync("客户签字.png：文件内容与扩展名不符");
        await dialog.Locator(".crm-closure-files button").ClickAsync();

        await dialog.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "确认截图.png", MimeType = "image/png", Buffer = DemandTests.Png });
        await Assertions.Expect(dialog.Locator(".crm-closure-files")).ToContainTextAsync("确认截图.png");
        await BrowserFixture.ScreenshotAsync(page, "demand-closure-dialog-zh");
        await dialog.Locator(".crm-closure-confirm").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"[data-status='Done'] .crm-demand-card[data-number='{number}']")).ToBeVisibleAsync();
        await page.GotoAsync($"/demands/{demandId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-demand-status")).ToHaveTextAsync("已完成");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".crm-evidence a").ClickAsync());
        Assert.Equal("确认截图.png", download.SuggestedFilename);
        Assert.Equal(DemandTests.Png, await File.ReadAllBytesAsync(await download.PathAsync()));
    }

    [Fact]
    public async Task On_the_demand_page_a_task_is_split_off_then_delayed_with_a_reason_and_the_task_board_shows_it()
    {
        var (demandId, number) = await browser.CreateDemandAsync("demo-salesrep", "任务拆分测试：对接现有 ERP 系统的订单数据", DemandPriority.Low);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync($"/demands/{demandId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator(".crm-task-name input").FillAsync("梳理 ERP 接口字段");
        await page.Locator(".crm-task-add-button").ClickAsync();
        var task = page.Locator(".crm-task-row[data-name='梳理 ERP 接口字段']");
        await Assertions.Expect(task).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "demand-page-zh");

        await page.GotoAsync("/demands/tasks");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        var card = page.Locator(".crm-task-card[data-name='梳理 ERP 接口字段']");
        await Assertions.Expect(card).ToContainTextAsync(number);
        await card.DragToAsync(page.Locator("[data-status='Delayed'] .crm-board-zone"), TopOfZone);
        var delay = page.Locator(".crm-delay-dialog");
        await delay.Locator(".crm-delay-save").ClickAsync();
        await Assertions.Expect(delay).ToContainTextAsync("请填写延期原因");
        await delay.Locator(".crm-delay-reason textarea").FillAsync("客户临时提供数据不全，需延迟2天");
        await delay.Locator(".crm-delay-save").ClickAsync();

        await Assertions.Expect(delay).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-status='Delayed'] .crm-task-card[data-name='梳理 ERP 接口字段']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "task-board-zh");
        await page.GotoAsync($"/demands/{demandId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(task.Locator(".crm-task-delay")).ToContainTextAsync("客户临时提供数据不全，需延迟2天");
    }

    [Fact]
    public async Task A_demand_raised_from_the_customer_page_gets_its_number_and_appears_on_the_timeline_and_the_customers_board()
    {
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep2");
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep2");
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator(".crm-raise-demand").ClickAsync();
        var dialog = page.Locator(".crm-new-demand-dialog");
        await dialog.Locator(".crm-demand-save").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("请填写需求描述");
        await dialog.Locator(".crm-demand-description-input textarea").FillAsync("希望提供专属客户成功经理，每季度上门回访");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-select-demandtype"), "潜在需求");
        await BrowserFixture.ChooseAsync(page, dialog.Locator(".crm-demand-priority"), "高");
        await Assertions.Expect(dialog).ToContainTextAsync("需 24 小时内响应");
        await BrowserFixture.ScreenshotAsync(page, "demand-new-dialog-zh");
        await dialog.Locator(".crm-demand-save").ClickAsync();

        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        var raised = page.Locator(".crm-timeline-entry[data-kind='demand-raised']").First;
        await Assertions.Expect(raised).ToContainTextAsync("高优先级");
        var number = System.Text.RegularExpressions.Regex.Match(await raised.InnerTextAsync(), @"DE\d{8}").Value;
        Assert.NotEmpty(number);

        await page.Locator(".crm-customer-demands").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-board-customer")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"[data-status='Open'] .crm-demand-card[data-number='{number}']")).ToContainTextAsync("剩余 23小时");
        Assert.All(await page.Locator(".crm-demand-card").AllInnerTextsAsync(), card => Assert.Contains("刘芳", card, StringComparison.Ordinal));
    }
}
