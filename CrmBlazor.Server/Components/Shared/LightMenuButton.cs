using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// The closed look of a <c>MudMenu</c> with an icon (<c>Size.Small</c>) as plain elements: the same classes and ARIA, so
/// it looks and reads the same. For a menu repeated on every card of a live board: a MudMenu is some seven components
/// (activator, icon, popover, overlay…) kept for as long as the tab is open, though almost never opened. The card shows
/// this until it is pressed, then renders the real menu in its place and opens it.
/// </summary>
public static class LightMenuButton
{
    public static RenderFragment Small(string icon, string ariaLabel, string cssClass, EventCallback<MouseEventArgs> onClick) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", $"mud-menu {cssClass}");
        builder.OpenElement(2, "button");
        builder.AddAttribute(3, "class", "mud-button-root mud-icon-button mud-ripple mud-ripple-icon mud-icon-button-size-small mud-menu-icon-button-activator");
        builder.AddAttribute(4, "aria-haspopup", "menu");
        builder.AddAttribute(5, "aria-expanded", "false");
        builder.AddAttribute(6, "aria-label", ariaLabel);
        builder.AddAttribute(7, "type", "button");
        builder.AddAttribute(8, "onclick", onClick);
        builder.OpenElement(9, "span");
        builder.AddAttribute(10, "class", "mud-icon-button-label");
        builder.AddContent(11, LightIcon.Svg("mud-icon-root mud-svg-icon mud-icon-size-small", icon));
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };
}
