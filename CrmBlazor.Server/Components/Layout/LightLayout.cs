using Microsoft.AspNetCore.Components;

namespace CrmBlazor.Server.Components.Layout;

/// <summary>
/// The shell's app bar and main content as MudAppBar (with its MudToolBar), MudMainContent and MudContainer write them, as
/// elements in MainLayout's own render tree rather than four components that every open tab keeps (issue 18). None of the
/// four has behaviour of its own: each writes an element with its classes around its content. A test compares the markup
/// with MudBlazor's own components.
/// </summary>
public static class LightLayout
{
    /// <summary><c>&lt;MudAppBar Elevation="1" Dense&gt;</c>: fixed at the top.</summary>
    public static RenderFragment AppBar(RenderFragment content) => builder =>
    {
        builder.OpenElement(0, "header");
        builder.AddAttribute(1, "class", "mud-appbar mud-appbar-dense mud-appbar-fixed-top mud-elevation-1");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "role", "toolbar");
        builder.AddAttribute(4, "class", "mud-toolbar mud-toolbar-dense mud-toolbar-gutters mud-toolbar-appbar");
        builder.AddContent(5, content);
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary><c>&lt;MudMainContent&gt;</c> holding the page's <c>main</c> in <c>&lt;MudContainer MaxWidth="ExtraLarge" Class="py-4"&gt;</c>.</summary>
    public static RenderFragment MainContent(RenderFragment content) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-main-content");
        builder.OpenElement(2, "main");
        builder.AddAttribute(3, "class", "crm-main");
        builder.OpenElement(4, "div");
        builder.AddAttribute(5, "class", "mud-container mud-container-maxwidth-xl mud-container--gutters py-4");
        builder.AddContent(6, content);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };
}
