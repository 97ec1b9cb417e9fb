using Bunit;
using CrmBlazor.Server.Components.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CrmBlazor.Tests.Layout;

/// <summary>
/// The shell without its MudBlazor components (issue 18): LightLayout writes what MudAppBar (with its MudToolBar),
/// MudMainContent and MudContainer write, and ThemeStyles writes what MudThemeProvider writes, one string for every tab.
/// Each is compared with MudBlazor's own component, so an upgrade that changes their markup fails here.
/// </summary>
public sealed class LightLayoutTests : MudTestContext
{
    private static readonly RenderFragment Content = b => b.AddMarkupContent(0, "<h6 class=\"crm-app-title\">客户管理</h6>");

    [Fact]
    public void The_app_bar_is_MudAppBars_markup_around_its_content()
    {
        var mud = Render(b =>
        {
            b.OpenComponent<MudAppBar>(0);
            b.AddAttribute(1, "Elevation", 1);
            b.AddAttribute(2, "Dense", true);
            b.AddAttribute(3, "ChildContent", Content);
            b.CloseComponent();
        });
        var light = Render(LightLayout.AppBar(Content));

        light.MarkupMatches(mud.Markup);
        Assert.Equal("客户管理", light.Find("header.mud-appbar [role=toolbar] .crm-app-title").TextContent);
    }

    [Fact]
    public void The_main_content_is_MudMainContent_and_MudContainers_markup_around_the_page()
    {
        var mud = Render(b =>
        {
            b.OpenComponent<MudMainContent>(0);
            b.AddAttribute(1, "ChildContent", (RenderFragment)(m =>
            {
                m.OpenElement(0, "main");
                m.AddAttribute(1, "class", "crm-main");
                m.OpenComponent<MudContainer>(2);
                m.AddAttribute(3, "MaxWidth", MaxWidth.ExtraLarge);
                m.AddAttribute(4, "Class", "py-4");
                m.AddAttribute(5, "ChildContent", Content);
                m.CloseComponent();
                m.CloseElement();
            }));
            b.CloseComponent();
        });
        var light = Render(LightLayout.MainContent(Content));

        light.MarkupMatches(mud.Markup);
        Assert.NotNull(light.Find(".mud-main-content > main.crm-main > .mud-container .crm-app-title"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_theme_styles_are_MudThemeProviders_markup(bool dark)
    {
        var mud = Render<MudThemeProvider>(p => p.Add(t => t.Theme, CrmTheme.Theme).Add(t => t.IsDarkMode, dark));
        var styles = Render<ThemeStyles>(p => p.Add(t => t.IsDarkMode, dark));

        styles.WaitForAssertion(() => Assert.Contains("--mud-palette-primary", styles.Markup));
        Assert.Equal(mud.Markup, styles.Markup);
    }

    [Fact]
    public void Two_tabs_hold_one_styles_string_and_a_switch_to_dark_writes_the_dark_one()
    {
        var first = Render<ThemeStyles>(p => p.Add(t => t.IsDarkMode, false));
        var second = Render<ThemeStyles>(p => p.Add(t => t.IsDarkMode, false));
        first.WaitForAssertion(() => Assert.NotNull(first.Instance.Markup));
        second.WaitForAssertion(() => Assert.NotNull(second.Instance.Markup));
        Assert.Same(first.Instance.Markup, second.Instance.Markup);

        var light = second.Markup;
        second.Render(p => p.Add(t => t.IsDarkMode, true));

        var dark = Render<MudThemeProvider>(p => p.Add(t => t.Theme, CrmTheme.Theme).Add(t => t.IsDarkMode, true));
        second.WaitForAssertion(() => Assert.Equal(dark.Markup, second.Markup));
        Assert.NotEqual(light, second.Markup);
        Assert.Contains("--mud-native-html-color-scheme: dark", second.Markup);
    }
}
