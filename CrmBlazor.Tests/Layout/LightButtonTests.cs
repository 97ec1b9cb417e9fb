using Bunit;
using CrmBlazor.Server.Components.Layout;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Demands;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace CrmBlazor.Tests.Layout;

/// <summary>
/// The app bar's and the boards' headers' buttons without their components (issue 18): LightButton writes what MudBlazor's
/// own MudIconButton, MudButton and MudTooltip write (compared here with MudBlazor's own, so an upgrade that changes them
/// fails), and its buttons call their handler.
/// </summary>
public sealed class LightButtonTests : MudTestContext
{
    private int _clicks;

    private EventCallback<MouseEventArgs> Click => EventCallback.Factory.Create<MouseEventArgs>(this, () => _clicks++);

    [Fact]
    public void An_app_bar_icon_button_is_MudIconButtons_markup_and_calls_its_handler()
    {
        var mud = Render(b =>
        {
            b.OpenComponent<MudIconButton>(0);
            b.AddAttribute(1, "Icon", Icons.Material.Filled.Menu);
            b.AddAttribute(2, "Color", Color.Inherit);
            b.AddAttribute(3, "Edge", Edge.Start);
            b.AddAttribute(4, "aria-label", "展开/收起导航");
            b.AddAttribute(5, "Class", "crm-nav-toggle");
            b.CloseComponent();
        });
        var light = Render(LightButton.AppBarIcon(Icons.Material.Filled.Menu, "展开/收起导航", "crm-nav-toggle", Click, edgeStart: true));

        light.MarkupMatches(mud.Markup);
        light.Find("button").Click();
        Assert.Equal(1, _clicks);
    }

    [Fact]
    public void A_light_tooltip_wraps_the_same_button_as_MudTooltip_and_carries_its_text()
    {
        var mud = Render(b =>
        {
            b.OpenComponent<MudTooltip>(0);
            b.AddAttribute(1, "Text", "深色主题");
            b.AddAttribute(2, "ChildContent", (RenderFragment)(c =>
            {
                c.OpenComponent<MudIconButton>(0);
                c.AddAttribute(1, "Icon", Icons.Material.Filled.DarkMode);
                c.AddAttribute(2, "Color", Color.Inherit);
                c.AddAttribute(3, "Class", "crm-theme-toggle");
                c.AddAttribute(4, "aria-label", "深色主题");
                c.CloseComponent();
            }));
            b.CloseComponent();
        });
        var light = Render(LightButton.AppBarIcon(Icons.Material.Filled.DarkMode, "深色主题", "crm-theme-toggle", Click, tooltip: "深色主题"));

        var root = light.Find("div.crm-light-tooltip");
        Assert.Equal(mud.Find("div.mud-tooltip-root").ClassName + " crm-light-tooltip", root.ClassName);
        Assert.Equal("深色主题", root.GetAttribute("data-tooltip"));
        light.Find("button").OuterHtml.MarkupMatches(mud.Find("button").OuterHtml);
        Assert.Empty(light.FindComponents<MudTooltip>());
    }

    [Fact]
    public void A_text_link_and_a_filled_button_are_MudButtons_markup()
    {
        var mudLink = Render(b =>
        {
            b.OpenComponent<MudButton>(0);
            b.AddAttribute(1, "Href", "/demands/tasks");
            b.AddAttribute(2, "Variant", Variant.Text);
            b.AddAttribute(3, "StartIcon", Icons.Material.Outlined.ViewKanban);
            b.AddAttribute(4, "Class", "ml-2");
            b.AddAttribute(5, "ChildContent", (RenderFragment)(c => c.AddContent(0, "任务看板")));
            b.CloseComponent();
        });
        var mudFilled = Render(b =>
        {
            b.OpenComponent<MudButton>(0);
            b.AddAttribute(1, "Variant", Variant.Filled);
            b.AddAttribute(2, "Color", Color.Primary);
            b.AddAttribute(3, "StartIcon", Icons.Material.Filled.Add);
            b.AddAttribute(4, "Class", "crm-new-demand");
            b.AddAttribute(5, "ChildContent", (RenderFragment)(c => c.AddContent(0, "新建需求")));
            b.CloseComponent();
        });

        // MudButton writes type="button" on its link too, which means nothing on an <a>; the light link leaves it out.
        var link = mudLink.Find("a");
        link.RemoveAttribute("type");
        Render(LightButton.TextLink("任务看板", Icons.Material.Outlined.ViewKanban, "/demands/tasks", "ml-2")).Find("a").OuterHtml.MarkupMatches(link.OuterHtml);
        var filled = Render(LightButton.Filled("新建需求", Icons.Material.Filled.Add, "crm-new-demand", Click));
        filled.MarkupMatches(mudFilled.Markup);
        filled.Find("button").Click();
        Assert.Equal(1, _clicks);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_boards_filter_toggle_is_MudBadge_around_MudButton_and_shows_or_hides_the_filters(bool narrowed)
    {
        var filter = new BoardFilter { Priority = narrowed ? CrmBlazor.Domain.Demands.DemandPriority.High : null };
        var bar = Render<BoardFilterBar>(p => p.Add(f => f.Filter, filter).Add(f => f.Users, []));
        var toggle = bar.Find(".crm-filter-toggle-item .mud-badge-root");
        var label = toggle.QuerySelector(".mud-button-label")!.TextContent;
        Assert.False(string.IsNullOrWhiteSpace(label));
        var mud = Render(b =>
        {
            b.OpenComponent<MudBadge>(0);
            b.AddAttribute(1, "Dot", true);
            b.AddAttribute(2, "Visible", narrowed);
            b.AddAttribute(3, "Color", Color.Primary);
            b.AddAttribute(4, "Overlap", true);
            b.AddAttribute(5, "ChildContent", (RenderFragment)(c =>
            {
                c.OpenComponent<MudButton>(0);
                c.AddAttribute(1, "Variant", Variant.Outlined);
                c.AddAttribute(2, "StartIcon", Icons.Material.Filled.FilterList);
                c.AddAttribute(3, "aria-expanded", "false");
                c.AddAttribute(4, "Class", "crm-filter-toggle");
                c.AddAttribute(5, "ChildContent", (RenderFragment)(d => d.AddContent(0, label)));
                c.CloseComponent();
            }));
            b.CloseComponent();
        });

        toggle.OuterHtml.MarkupMatches(mud.Markup);
        Assert.Empty(bar.FindComponents<MudButton>());
        Assert.DoesNotContain("crm-filters-open", bar.Find(".crm-board-filter").ClassName);

        bar.Find(".crm-filter-toggle").Click();
        Assert.Contains("crm-filters-open", bar.Find(".crm-board-filter").ClassName);
        Assert.Equal("true", bar.Find(".crm-filter-toggle").GetAttribute("aria-expanded"));
    }
}
