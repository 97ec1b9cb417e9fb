using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// The closed look of a <c>MudMenu</c>'s button as plain elements: the same classes and ARIA, so it looks and reads the
/// same. For a menu repeated on every card of a live board, or in every tab's app bar: a MudMenu is some seven components
/// (activator, icon, popover, overlay…) kept for as long as the tab is open, though almost never opened. The card shows
/// this until it is pressed, then renders the real menu in its place and opens it (see also <see cref="LightMenu"/>).
/// </summary>
public static class LightMenuButton
{
    /// <summary>
    /// A small icon menu button as HTML, for markup shared by many tabs (a demand card's move button): it has no handler, so
    /// the page catches its press (js/board-drag.js). <paramref name="ariaLabel"/> must be HTML-encoded already.
    /// </summary>
    public static void AppendSmallHtml(System.Text.StringBuilder html, string icon, string ariaLabel, string cssClass)
    {
        html.Append("<div class=\"mud-menu ").Append(cssClass).Append("\"><button class=\"mud-button-root mud-icon-button mud-icon-button-size-small mud-ripple mud-ripple-icon mud-menu-icon-button-activator\"")
            .Append(" aria-haspopup=\"menu\" aria-expanded=\"false\" aria-label=\"").Append(ariaLabel).Append("\" type=\"button\"><span class=\"mud-icon-button-label\">");
        LightIcon.AppendHtml(html, "mud-icon-root mud-svg-icon mud-icon-size-small", icon);
        html.Append("</span></button></div>");
    }

    /// <summary>An app bar's icon menu (<c>Color.Inherit</c>, medium), closed.</summary>
    public static RenderFragment Icon(string icon, string ariaLabel, string cssClass, EventCallback<MouseEventArgs> onClick) =>
        IconButton("mud-inherit-text hover:mud-inherit-hover", "mud-icon-size-medium", icon, ariaLabel, cssClass, onClick);

    private static RenderFragment IconButton(string buttonLook, string iconSize, string icon, string ariaLabel, string cssClass, EventCallback<MouseEventArgs> onClick) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", $"mud-menu {cssClass}");
        builder.OpenElement(2, "button");
        builder.AddAttribute(3, "class", $"mud-button-root mud-icon-button {buttonLook} mud-ripple mud-ripple-icon mud-menu-icon-button-activator");
        builder.AddAttribute(4, "aria-haspopup", "menu");
        builder.AddAttribute(5, "aria-expanded", "false");
        builder.AddAttribute(6, "aria-label", ariaLabel);
        builder.AddAttribute(7, "type", "button");
        builder.AddAttribute(8, "onclick", onClick);
        builder.OpenElement(9, "span");
        builder.AddAttribute(10, "class", "mud-icon-button-label");
        builder.AddContent(11, LightIcon.Svg($"mud-icon-root mud-svg-icon {iconSize}", icon));
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>A labelled menu button (<c>Variant.Filled</c>, <c>Color.Primary</c>, <c>Size.Small</c>, a start icon), closed.</summary>
    public static RenderFragment Labelled(string label, string startIcon, string cssClass, EventCallback<MouseEventArgs> onClick) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", $"mud-menu {cssClass}");
        builder.OpenElement(2, "button");
        builder.AddAttribute(3, "class", "mud-button-root mud-button mud-button-filled mud-button-filled-primary mud-button-filled-size-small mud-ripple mud-menu-button-activator");
        builder.AddAttribute(4, "aria-haspopup", "menu");
        builder.AddAttribute(5, "aria-expanded", "false");
        builder.AddAttribute(6, "type", "button");
        builder.AddAttribute(7, "onclick", onClick);
        builder.AddContent(8, LightButton.Label(label, startIcon, "small"));
        builder.CloseElement();
        builder.CloseElement();
    };
}
