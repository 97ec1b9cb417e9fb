using Bunit;
using CrmBlazor.Server.Components.Layout;
using CrmBlazor.Server.Components.Shared;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace CrmBlazor.Tests.Layout;

/// <summary>
/// LightSelect and LightMenu: the closed look of a MudSelect or MudMenu in tabs that stay open (issue 18's memory per
/// board tab) until used, then the real control in its place, opened or focused as the user asked.
/// </summary>
public sealed class LightControlsTests : MudTestContext
{
    private static readonly IReadOnlyList<string?> Owners = ["张伟", "李明", "王芳"];

    [Fact]
    public void A_light_select_shows_its_label_and_value_without_a_MudSelect_and_a_press_makes_it_real_open_and_choosing()
    {
        string? chosen = "李明";
        var select = RenderWithPopovers<LightSelect<string?>>(p => p
            .Add(s => s.Value, chosen).Add(s => s.ValueChanged, v => chosen = v).Add(s => s.Label, "负责人").Add(s => s.Items, Owners)
            .Add(s => s.Text, v => v ?? "").Add(s => s.Clearable, true).Add(s => s.Class, "crm-board-owner"));

        Assert.Empty(select.FindComponents<MudSelect<string?>>());
        Assert.Equal("李明", select.Find(".crm-board-owner input.mud-select-input").GetAttribute("value"));
        Assert.Contains("mud-shrink", select.Find(".crm-board-owner .mud-input").ClassList); // the label sits on the border, as with a value
        Assert.Equal("负责人", select.Find(".crm-board-owner label").TextContent);
        Assert.Empty(Popovers.FindAll(".mud-popover-open"));

        select.Find(".crm-board-owner").MouseDown();

        var real = select.FindComponent<MudSelect<string?>>();
        Assert.Equal("李明", real.Find("input.mud-select-input").GetAttribute("value"));
        select.WaitForAssertion(() => Assert.Equal(["张伟", "李明", "王芳"], Popovers.FindAll(".mud-popover-open .mud-list-item").Select(i => i.TextContent.Trim())));
        Popovers.FindAll(".mud-popover-open .mud-list-item").Single(i => i.TextContent.Trim() == "王芳").Click();
        select.WaitForAssertion(() => Assert.Equal("王芳", chosen));
    }

    [Fact]
    public void The_light_selects_clear_button_clears_without_opening_and_an_empty_one_has_none()
    {
        string? chosen = "张伟";
        var select = RenderWithPopovers<LightSelect<string?>>(p => p
            .Add(s => s.Value, chosen).Add(s => s.ValueChanged, v => chosen = v).Add(s => s.Label, "负责人").Add(s => s.Items, Owners)
            .Add(s => s.Text, v => v ?? "").Add(s => s.Clearable, true));

        select.Find(".mud-input-clear-button").Click();

        Assert.Null(chosen);
        Assert.Empty(select.FindComponents<MudSelect<string?>>());
        select.Render(p => p.Add(s => s.Value, chosen));
        Assert.Empty(select.FindAll(".mud-input-clear-button"));
        Assert.DoesNotContain("mud-shrink", select.Find(".mud-input").ClassList);
    }

    [Fact]
    public void Tabbing_through_a_light_select_leaves_it_light_and_an_opening_key_makes_it_real_opened_and_focused()
    {
        var select = RenderWithPopovers<LightSelect<string?>>(p => p
            .Add(s => s.Value, null).Add(s => s.ValueChanged, _ => { }).Add(s => s.Label, "负责人").Add(s => s.Items, Owners).Add(s => s.Text, v => v ?? ""));

        select.Find("input").KeyDown(new KeyboardEventArgs { Key = "Tab" }); // focus alone has no handler: tabbing in or past swaps nothing
        select.Find(".mud-input-control").MouseDown(new MouseEventArgs { Button = 2 }); // a right click opens no list

        Assert.Empty(select.FindComponents<MudSelect<string?>>());
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier == "Blazor._internal.domWrapper.focus");

        select.Find("input").KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });

        Assert.Single(select.FindComponents<MudSelect<string?>>());
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "Blazor._internal.domWrapper.focus"); // the real input, through MudSelect.FocusAsync
        select.WaitForAssertion(() => Assert.Equal(3, Popovers.FindAll(".mud-popover-open .mud-list-item").Count));
    }

    [Theory]
    [InlineData(1L, "openMenu")]
    [InlineData(0L, "openMenuFromKeyboard")] // Enter or space on the button: a click with no detail
    public void The_language_menu_is_its_closed_look_until_pressed_then_the_real_menu_opened_through_its_own_button(long detail, string opener)
    {
        var focus = JSInterop.SetupModule("./js/focus.js");
        focus.SetupVoid(opener, _ => true).SetVoidResult();
        var language = RenderWithPopovers<LanguageSwitch>();

        Assert.Empty(language.FindComponents<MudMenu>());
        var look = language.Find(".crm-language button[aria-haspopup='menu']");
        Assert.Equal("Language", look.GetAttribute("aria-label"));

        look.Click(new MouseEventArgs { Detail = detail });

        Assert.Single(language.FindComponents<MudMenu>());
        var id = language.Find(".crm-light-menu").Id;
        var call = focus.VerifyInvoke(opener);
        Assert.Equal($"#{id} [aria-haspopup='menu']", call.Arguments.Single());
    }
}
