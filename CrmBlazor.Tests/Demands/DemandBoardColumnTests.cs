using Bunit;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Server.Features.Demands;
using CrmBlazor.Tests.Layout;
using MudBlazor;

namespace CrmBlazor.Tests.Demands;

/// <summary>
/// A demand card is shared HTML with no handler of its own: its drag start and its move button's press reach the column
/// as card events carrying the card's number (CardEvents.cs). Razor writes such an attribute out as text, silently, when it
/// does not know the event: these tests fail then, where the page would just stop answering.
/// </summary>
public sealed class DemandBoardColumnTests : MudTestContext
{
    private static readonly DateTime Now = new(2030, 6, 12, 2, 0, 0, DateTimeKind.Utc);

    private static DemandCard Card(int serial) =>
        new(Guid.Parse($"0b1c2d3e-0000-4000-8000-00000000000{serial}"), 1, $"DE2030000{serial}", Guid.Empty, "杭州鼎盛商贸有限公司", "需要定制化数据看板",
            DemandPriority.Medium, DemandStatus.Open, Guid.Empty, "张伟", Now.AddHours(5), null, 0, 0);

    private readonly DemandCard[] _cards = [Card(1), Card(2)];

    private IRenderedComponent<DemandBoardColumn> Column(bool canMove, Action<DemandCard>? picked = null) =>
        RenderWithPopovers<DemandBoardColumn>(p => p
            .Add(c => c.Status, DemandStatus.Open).Add(c => c.Cards, _cards).Add(c => c.Now, Now).Add(c => c.CanMove, canMove)
            .Add(c => c.OnPicked, card => picked?.Invoke(card)));

    [Fact]
    public async Task A_press_of_a_cards_move_button_builds_that_cards_real_menu_and_opens_it_from_the_keyboard()
    {
        var focus = JSInterop.SetupModule("./js/focus.js");
        focus.SetupVoid("openMenuFromKeyboard", _ => true).SetVoidResult();
        var column = Column(canMove: true);
        Assert.Equal(2, column.FindAll(".crm-demand-move-light button").Count);
        Assert.Empty(column.FindComponents<MudMenu>());

        await column.Find(".crm-board-zone").TriggerEventAsync("oncardmenu", new CardEventArgs { Number = "DE20300002", Keyboard = true });

        Assert.Single(column.FindComponents<MudMenu>());
        Assert.Single(column.FindAll(".crm-demand-move-light button")); // the other card keeps its closed look
        Assert.Empty(column.FindAll(".crm-demand-card[data-number='DE20300002'] .crm-demand-move-light"));
        var call = focus.VerifyInvoke("openMenuFromKeyboard");
        Assert.Equal(DemandBoardColumn.MoveButton("DE20300002"), call.Arguments.Single());
    }

    [Fact]
    public async Task A_press_for_no_card_of_the_column_builds_nothing()
    {
        var mover = Column(canMove: true);
        await mover.Find(".crm-board-zone").TriggerEventAsync("oncardmenu", new CardEventArgs { Number = "DE99999999" });
        Assert.Empty(mover.FindComponents<MudMenu>());
        Assert.Equal(2, mover.FindAll(".crm-demand-move-light button").Count);
    }

    [Fact]
    public async Task A_reader_gets_no_move_button_no_drag_and_no_menu()
    {
        var reader = Column(canMove: false);
        Assert.Empty(reader.FindAll(".crm-demand-move-light"));
        Assert.All(reader.FindAll(".crm-demand-card"), card => Assert.Equal("false", card.GetAttribute("draggable")));
        await reader.Find(".crm-board-zone").TriggerEventAsync("oncardmenu", new CardEventArgs { Number = "DE20300001" });
        Assert.Empty(reader.FindComponents<MudMenu>());
    }

    [Fact]
    public async Task A_drag_start_tells_the_board_which_card_was_picked_up()
    {
        DemandCard? picked = null;
        var column = Column(canMove: true, card => picked = card);
        Assert.All(column.FindAll(".crm-demand-card"), card => Assert.Equal("true", card.GetAttribute("draggable")));

        await column.Find(".crm-board-zone").TriggerEventAsync("oncardpicked", new CardEventArgs { Number = "DE20300001" });

        Assert.Equal(_cards[0], picked);
    }
}
