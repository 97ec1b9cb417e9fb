using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// A <c>MudIconButton</c>, <c>MudButton</c> or <c>MudTooltip</c> as MudBlazor writes it, but as elements in the caller's
/// render tree rather than components: for the app bar and the live boards' headers, which every open tab keeps for as long
/// as it is open (issue 18). A MudIconButton is two components (button, icon), a tooltip four more (popover, its content,
/// its holder), and every component keeps two render trees of at least 32 frames (~2.6 KB) on the server.
/// The tooltip is CSS (<c>.crm-light-tooltip</c> in app.css): MudTooltip's look, on hover and on keyboard focus.
/// </summary>
public static class LightButton
{
    /// <summary>An app bar icon button (<c>Color.Inherit</c>, medium), with a tooltip when <paramref name="tooltip"/> is given.</summary>
    public static RenderFragment AppBarIcon(string icon, string ariaLabel, string cssClass, EventCallback<MouseEventArgs> onClick,
        string? tooltip = null, bool edgeStart = false) => builder =>
    {
        if (tooltip is not null)
        {
            builder.OpenElement(0, "div");
            builder.AddAttribute(1, "class", "mud-tooltip-root mud-tooltip-inline crm-light-tooltip");
            builder.AddAttribute(2, "data-tooltip", tooltip);
        }
        builder.OpenElement(3, "button");
        builder.AddAttribute(4, "class", edgeStart
            ? $"mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon mud-icon-button-edge-start {cssClass}"
            : $"mud-button-root mud-icon-button mud-inherit-text hover:mud-inherit-hover mud-ripple mud-ripple-icon {cssClass}");
        builder.AddAttribute(5, "aria-label", ariaLabel);
        builder.AddAttribute(6, "type", "button");
        builder.AddAttribute(7, "onclick", onClick);
        builder.AddEventStopPropagationAttribute(8, "onclick", true); // as MudIconButton: the click ends here
        builder.OpenElement(9, "span");
        builder.AddAttribute(10, "class", "mud-icon-button-label");
        builder.AddContent(11, LightIcon.Svg("mud-icon-root mud-svg-icon mud-icon-size-medium", icon));
        builder.CloseElement();
        builder.CloseElement();
        if (tooltip is not null)
        {
            builder.CloseElement();
        }
    };

    /// <summary>A link that looks like a text button with a start icon (<c>MudButton Href Variant.Text</c>).</summary>
    public static RenderFragment TextLink(string label, string startIcon, string href, string cssClass) => builder =>
    {
        builder.OpenElement(0, "a");
        builder.AddAttribute(1, "class", $"mud-button-root mud-button mud-button-text mud-button-text-default mud-button-text-size-medium mud-ripple {cssClass}");
        builder.AddAttribute(2, "href", href);
        builder.AddContent(3, Label(label, startIcon));
        builder.CloseElement();
    };

    /// <summary>A filled primary button with a start icon (<c>MudButton Variant.Filled Color.Primary</c>).</summary>
    public static RenderFragment Filled(string label, string startIcon, string cssClass, EventCallback<MouseEventArgs> onClick) =>
        Button("mud-button-filled mud-button-filled-primary mud-button-filled-size-medium", label, startIcon, cssClass, onClick, expanded: null);

    /// <summary>
    /// An outlined button with a start icon (<c>MudButton Variant.Outlined</c>); <paramref name="expanded"/>, when given, is
    /// its <c>aria-expanded</c> (a button that shows or hides something).
    /// </summary>
    public static RenderFragment Outlined(string label, string startIcon, string cssClass, EventCallback<MouseEventArgs> onClick, bool? expanded = null) =>
        Button("mud-button-outlined mud-button-outlined-default mud-button-outlined-size-medium", label, startIcon, cssClass, onClick, expanded);

    private static RenderFragment Button(string look, string label, string startIcon, string cssClass, EventCallback<MouseEventArgs> onClick, bool? expanded) => builder =>
    {
        builder.OpenElement(0, "button");
        builder.AddAttribute(1, "class", $"mud-button-root mud-button {look} mud-ripple {cssClass}");
        if (expanded is { } open)
        {
            builder.AddAttribute(2, "aria-expanded", open ? "true" : "false");
        }
        builder.AddAttribute(3, "type", "button");
        builder.AddAttribute(4, "onclick", onClick);
        builder.AddEventStopPropagationAttribute(5, "onclick", true); // as MudButton: the click ends here
        builder.AddContent(6, Label(label, startIcon));
        builder.CloseElement();
    };

    /// <summary>A MudButton's label with its start icon; <paramref name="size"/> is MudBlazor's size name (small, medium).</summary>
    internal static RenderFragment Label(string label, string startIcon, string size = "medium") => builder =>
    {
        builder.OpenElement(0, "span");
        builder.AddAttribute(1, "class", "mud-button-label");
        builder.OpenElement(2, "span");
        builder.AddAttribute(3, "class", $"mud-button-icon-start mud-button-icon-size-{size}");
        builder.AddContent(4, LightIcon.Svg($"mud-icon-root mud-svg-icon mud-icon-size-{size}", startIcon));
        builder.CloseElement();
        builder.AddContent(5, label);
        builder.CloseElement();
    };
}
