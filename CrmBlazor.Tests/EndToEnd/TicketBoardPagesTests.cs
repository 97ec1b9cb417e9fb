using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC G3 in Chromium: the supervisor's open ticket board live, and two people dragging one card.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class TicketBoardPagesTests(BrowserFixture browser, LiveAppFixture app) : IClassFixture<LiveAppFixture>
{
    /// <summary>Drop just inside a column's top edge: further down, a full column has cards under the pointer.</summary>
    private static readonly LocatorDragToOptions TopOfZone = new() { TargetPosition = new TargetPosition { X = 40, Y = 4 } };

    [Fact]
    public async Task A_ticket_logged_on_another_instance_appears_on_the_supervisors_open_board_within_a_second()
    {
        await using var context = await app.NewContextAsync(browser.Browser, "zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/tickets/board");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".crm-board-column")).ToHaveCountAsync(6);

        var ticket = await (await app.Get<TicketService>("demo-service")).CreateAsync(await InputAsync("导出报表时提示“服务器内部错误”", TicketSeverity.Critical));

        // The demo service desk's group takes "bug" and hands it out in turn: the card arrives in its column with its agent.
        var card = page.Locator($"[data-status='{ticket.Status}'] .crm-ticket-card[data-number='{ticket.Number}']");
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = 1000 });
        await Assertions.Expect(card.Locator(".crm-ticket-sla-response")).ToContainTextAsync("响应：剩余 3小时59分");
        await Assertions.Expect(card.Locator(".crm-ticket-assignee")).ToHaveTextAsync(await AssigneeNameAsync(ticket.AssigneeId));
        await BrowserFixture.ScreenshotAsync(page, "ticket-board-zh");
    }

    [Fact]
    public async Task Of_two_people_dragging_one_card_the_later_gets_the_conflict_and_an_illegal_move_is_refused_in_their_language()
    {
        var created = await (await app.Get<TicketService>("demo-service")).CreateAsync(await InputAsync("合同附件无法上传", TicketSeverity.High));
        var serviceId = await UserIdAsync("demo-service");
        var ticket = created.AssigneeId == serviceId ? created : await (await app.Get<TicketService>("demo-admin")).AssignAsync(created.Id, created.Version, serviceId);
        await using var supervisorContext = await app.NewContextAsync(browser.Browser, "zh-CN");
        await using var adminContext = await app.NewContextAsync(browser.Browser, "en");
        var a = await supervisorContext.NewPageAsync();
        var b = await adminContext.NewPageAsync();
        await BrowserFixture.SignInAsync(a, "demo-supervisor");
        await BrowserFixture.SignInAsync(b, "demo-admin");
        foreach (var page in new[] { a, b })
        {
            await page.GotoAsync("/tickets/board");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator($"[data-status='Assigned'] .crm-ticket-card[data-number='{ticket.Number}']")).ToBeVisibleAsync();
        }

        // Both pick the card up; A drops it first, B a moment later from what B picked up.
        var onB = b.Locator($".crm-ticket-card[data-number='{ticket.Number}']");
        var from = (await onB.BoundingBoxAsync())!;
        await b.Mouse.MoveAsync(from.X + 30, from.Y + 20);
        await b.Mouse.DownAsync();
        await b.Mouse.MoveAsync(from.X + 60, from.Y + 50, new() { Steps = 5 });
        await a.Locator($".crm-ticket-card[data-number='{ticket.Number}']").DragToAsync(a.Locator("[data-status='InProgress'] .crm-board-zone"), TopOfZone);
        await Assertions.Expect(a.Locator($"[data-status='InProgress'] .crm-ticket-card[data-number='{ticket.Number}']")).ToBeVisibleAsync();
        var to = (await b.Locator("[data-status='WaitingForCustomer'] .crm-board-zone").BoundingBoxAsync())!;
        await b.Mouse.MoveAsync(to.X + 40, to.Y + 4, new() { Steps = 5 });
        await b.Mouse.UpAsync();

        await Assertions.Expect(b.Locator(".mud-snackbar")).ToContainTextAsync($"{ticket.Number} was moved by someone else a moment ago");
        await Assertions.Expect(b.Locator($"[data-status='InProgress'] .crm-ticket-card[data-number='{ticket.Number}']")).ToBeVisibleAsync();
        await b.WaitForTimeoutAsync(500); // the snackbar fully faded in, for a readable screenshot
        await BrowserFixture.ScreenshotAsync(b, "ticket-board-conflict-en");

        // In progress → closed skips resolution: refused with the domain's rule, and the card snaps back.
        await a.Locator($".crm-ticket-card[data-number='{ticket.Number}']").DragToAsync(a.Locator("[data-status='Closed'] .crm-board-zone"), TopOfZone);
        await Assertions.Expect(a.Locator(".mud-snackbar")).ToContainTextAsync("工单不能从“处理中”变为“已关闭”");
        await Assertions.Expect(a.Locator($"[data-status='InProgress'] .crm-ticket-card[data-number='{ticket.Number}']")).ToBeVisibleAsync();
        await a.WaitForTimeoutAsync(500);
        await BrowserFixture.ScreenshotAsync(a, "ticket-board-refused-zh");
        await using var db = DomainServices.CreateSystemContext(app.Database, TimeProvider.System);
        Assert.Equal(TicketStatus.InProgress, (await db.Tickets.SingleAsync(t => t.Id == ticket.Id)).Status);
    }

    /// <summary>A ticket on the first customer of demo-salesrep, whose team demo-supervisor leads.</summary>
    private async Task<TicketInput> InputAsync(string title, TicketSeverity severity)
    {
        await using var db = DomainServices.CreateSystemContext(app.Database, TimeProvider.System);
        var customerId = await db.Customers.Where(c => c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        return new TicketInput(customerId, null, "bug", "报表", title, "客户来电反馈，问题可稳定复现。", severity, TicketChannel.Phone);
    }

    private async Task<string> AssigneeNameAsync(Guid? assigneeId)
    {
        await using var db = DomainServices.CreateSystemContext(app.Database, TimeProvider.System);
        return assigneeId is { } id ? await db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleAsync() : "未分配";
    }

    private async Task<Guid> UserIdAsync(string demoUser)
    {
        await using var db = DomainServices.CreateSystemContext(app.Database, TimeProvider.System);
        return await db.Users.Where(u => u.ExternalId == demoUser).Select(u => u.Id).SingleAsync();
    }
}
