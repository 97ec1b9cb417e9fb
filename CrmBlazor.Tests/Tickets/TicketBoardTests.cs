using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Server.Features.Tickets;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G3: the ticket board's columns, its cards' countdowns, a filter and a live arrival, rendered in Chinese.</summary>
public sealed class TicketBoardTests : MudTestContext
{
    // Wednesday 2030-06-12 10:00 in Beijing.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_board_has_a_column_per_status_and_every_card_counts_down_its_response_and_resolution()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: _clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input("打印报表时系统报错", TicketSeverity.Critical));
        _clock.Advance(TimeSpan.FromHours(1));

        var board = RenderBoard(harness, desk.Supervisor);

        Assert.Equal(Enum.GetNames<TicketStatus>(), board.FindAll(".crm-board-column").Select(c => c.GetAttribute("data-status")));
        var card = board.Find($"[data-status='Assigned'] .crm-ticket-card[data-number='{ticket.Number}']");
        Assert.Contains("打印报表时系统报错", card.TextContent, StringComparison.Ordinal);
        Assert.Contains(await CustomerNameAsync(harness, desk.CustomerId), card.TextContent, StringComparison.Ordinal);
        Assert.Equal("紧急", card.QuerySelector(".crm-ticket-severity")!.TextContent.Trim());
        Assert.Equal("客服1", card.QuerySelector(".crm-ticket-assignee")!.TextContent.Trim());
        Assert.Equal("响应：剩余 3小时0分", Squeeze(card.QuerySelector(".crm-ticket-sla-response")!.TextContent));
        Assert.Equal("解决：剩余 23小时0分", Squeeze(card.QuerySelector(".crm-ticket-sla-resolution")!.TextContent));
        Assert.Equal("1", board.Find("[data-status='Assigned'] .crm-board-count").TextContent.Trim());

        // Live: a ticket logged by someone else arrives without a reload.
        var another = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input("客户无法导出发票"));
        board.WaitForElement($"[data-status='Assigned'] .crm-ticket-card[data-number='{another.Number}']");
    }

    [Fact]
    public async Task Overdue_only_leaves_the_breached_cards_which_say_how_late_they_are()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: _clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var late = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input("系统宕机", TicketSeverity.Critical));
        var calm = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input("希望调整报表字体", TicketSeverity.Low));
        _clock.Advance(TimeSpan.FromHours(5));

        var board = RenderBoard(harness, desk.Supervisor);
        Assert.Equal(2, board.FindAll(".crm-ticket-card").Count);
        var lateCard = board.Find($".crm-ticket-card[data-number='{late.Number}']");
        Assert.Contains("crm-ticket-card-breached", lateCard.ClassName, StringComparison.Ordinal);
        Assert.Equal("响应：已超时 1小时0分", Squeeze(lateCard.QuerySelector(".crm-ticket-sla-response")!.TextContent));

        board.Find(".crm-ticket-filter-breached input").Change(true);

        board.WaitForAssertion(() => Assert.Equal([late.Number], board.FindAll(".crm-ticket-card").Select(c => c.GetAttribute("data-number"))));
        Assert.Empty(board.FindAll($".crm-ticket-card[data-number='{calm.Number}']"));
    }

    [Theory]
    [InlineData(16, 29, "ok")]
    [InlineData(17, 0, "warning")]
    public void The_card_and_the_list_turn_amber_at_the_stored_warning_instant_not_at_75_percent_of_the_wall_clock(int hour, int minute, string expected)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        // Logged Friday 09:00 in Beijing on a working-hours clock of 10 hours: 9 on Friday, 1 on Monday. 75% of it is
        // used at Friday 16:30 (when the SLA pass warns), though only 11% of the wall-clock time to Monday 10:00 has passed.
        var beijing = TimeSpan.FromHours(8);
        DateTime At(int day, int h, int m) => new DateTimeOffset(2030, 6, day, h, m, 0, beijing).UtcDateTime;
        var ticket = new TicketListItem(Guid.NewGuid(), "TK203000001", "报表导出失败", Guid.NewGuid(), "华夏测试有限公司", ServiceDesk.Category,
            TicketSeverity.Medium, TicketStatus.Assigned, null, null, null, null, TicketQueueReason.None,
            CreatedAt: At(14, 9, 0), ResponseDueAt: At(17, 10, 0), ResponseWarnAt: At(14, 16, 30), FirstResponseAt: null,
            ResolutionDueAt: At(19, 18, 0), ResolutionWarnAt: At(19, 9, 0), ResolvedAt: null, IsPaused: false, Version: 1);
        var now = At(14, hour, minute);

        var card = Render<TicketCard>(p => p.Add(c => c.Ticket, ticket).Add(c => c.Now, now));
        var list = Render<TicketSlaClocks>(p => p.Add(c => c.Ticket, ticket).Add(c => c.Now, now));

        foreach (var clocks in new[] { card.Find(".crm-ticket-sla"), list.Find(".crm-ticket-sla") })
        {
            Assert.Contains($"crm-sla-{expected}", clocks.QuerySelector(".crm-ticket-sla-response")!.ClassName, StringComparison.Ordinal);
            Assert.Contains("crm-sla-ok", clocks.QuerySelector(".crm-ticket-sla-resolution")!.ClassName, StringComparison.Ordinal);
        }
        Assert.Equal(Squeeze(list.Find(".crm-ticket-sla").TextContent), Squeeze(card.Find(".crm-ticket-sla").TextContent)); // one component: the board says what the list says
    }

    private IRenderedComponent<TicketBoard> RenderBoard(DomainHarness harness, TestUser user)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton<ICurrentUser>(user);
        Services.AddSingleton<ILiveEvents>(harness.LiveEvents);
        Services.AddSingleton(harness.Get<Permissions>(user));
        Services.AddSingleton(harness.Get<TicketQueries>(user));
        Services.AddSingleton(harness.Get<TicketService>(user));
        Services.AddSingleton(harness.Get<SupportGroupService>(user));
        Services.AddSingleton(harness.Get<UserDirectory>(user));
        Services.AddSingleton(harness.Get<CustomerQueries>(user));
        Services.AddSingleton(new DictionaryLabels(harness.Get<DictionaryService>(user)));
        var board = RenderWithPopovers<TicketBoard>();
        board.WaitForElement(".crm-board-columns");
        return board;
    }

    private static string Squeeze(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static async Task<string> CustomerNameAsync(DomainHarness harness, Guid customerId)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.Id == customerId).Select(c => c.Name).SingleAsync();
    }
}
