using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// A small, read-only chip: the markup (and so the look) of a <see cref="MudChip{T}"/> with <c>Size.Small</c>, rendered
/// as plain elements. For what a page repeats hundreds of times (the cards of a live board): a MudChip is two components
/// with their render trees held for as long as the page is open, this is a few frames in its parent's.
/// </summary>
public static class LightChip
{
    public static RenderFragment Small(string text, Color color, Variant variant, string cssClass, string? icon = null, string? title = null) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-chip-container");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", ClassFor(variant, color, cssClass));
        builder.AddAttribute(4, "tabindex", "-1");
        builder.AddAttribute(5, "title", title);
        if (icon is not null)
        {
            builder.AddContent(6, LightIcon.Svg("mud-icon-root mud-svg-icon mud-icon-size-small mud-chip-icon", icon));
        }
        builder.OpenElement(12, "span");
        builder.AddAttribute(13, "class", "mud-chip-content");
        builder.AddContent(14, text);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>
    /// The few combinations a page uses, each built once: the string is held by the render tree of every chip on every open
    /// board, so one shared instance instead of one per chip (~100 bytes each, three chips a card).
    /// </summary>
    private static readonly ConcurrentDictionary<(Variant, Color, string), string> Classes = new();

    private static string ClassFor(Variant variant, Color color, string cssClass) => Classes.GetOrAdd((variant, color, cssClass),
        key => $"mud-chip mud-chip-{Name(key.Item1)} mud-chip-size-small mud-chip-color-{Name(key.Item2)} {key.Item3}");

    private static string Name(Enum value) => value.ToString().ToLowerInvariant();
}
