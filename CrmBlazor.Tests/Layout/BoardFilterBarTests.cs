using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Server.Features.Demands;

namespace CrmBlazor.Tests.Layout;

/// <summary>The boards' filter bar: its owner choices follow the user list the board passes, and only that.</summary>
public sealed class BoardFilterBarTests : MudTestContext
{
    [Fact]
    public void The_chosen_owner_shows_by_name_and_a_new_user_list_from_the_board_renames_it()
    {
        var owner = new UserOption(Guid.NewGuid(), "李明");
        var filter = new BoardFilter { OwnerId = owner.Id };
        var bar = RenderWithPopovers<BoardFilterBar>(p => p.Add(b => b.Filter, filter).Add(b => b.Users, [new UserOption(Guid.NewGuid(), "张伟"), owner]));

        Assert.Equal("李明", bar.Find(".crm-board-owner input.mud-select-input").GetAttribute("value"));

        // The board re-renders with the same list (a live event): nothing changes.
        bar.Render(p => p.Add(b => b.Filter, filter).Add(b => b.Users, bar.Instance.Users));
        Assert.Equal("李明", bar.Find(".crm-board-owner input.mud-select-input").GetAttribute("value"));

        // The board reads the users again and the owner has a new name: the bar shows it.
        var renamed = owner with { DisplayName = "李明（华东）" };
        bar.Render(p => p.Add(b => b.Filter, filter).Add(b => b.Users, [renamed]));
        Assert.Equal("李明（华东）", bar.Find(".crm-board-owner input.mud-select-input").GetAttribute("value"));
    }
}
