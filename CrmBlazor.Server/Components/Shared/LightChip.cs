using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// A small, read-only chip: the markup (and so the look) of a <see cref="MudChip{T}"/> with <c>Size.Small</c>, rendered
/// as plain elements. For what a page repeats hundreds of times (the cards of a live board): a MudChip is two components
/// with their render trees held for as long as the page is open, this is a few frames in its parent's — or a piece of
/// HTML (<see cref="AppendHtml"/>) where the parent writes a whole card as one.
/// </summary>
public static class LightChip
{
    /// <summary>What a chip shows: its text, colour, variant, CSS class, icon (a MudBlazor icon path) and tooltip.</summary>
    public sealed record Look(string Text, Color Color, Variant Variant, string CssClass, string? Icon = null, string? Title = null);

    public static RenderFragment Small(string text, Color color, Variant variant, string cssClass, string? icon = null, string? title = null) =>
        Small(new Look(text, color, variant, cssClass, icon, title));

    public static RenderFragment Small(Look look) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-chip-container");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", ClassFor(look.Variant, look.Color, look.CssClass));
        builder.AddAttribute(4, "tabindex", "-1");
        builder.AddAttribute(5, "title", look.Title);
        if (look.Icon is not null)
        {
            builder.AddContent(6, LightIcon.Svg(IconClass, look.Icon));
        }
        builder.OpenElement(12, "span");
        builder.AddAttribute(13, "class", "mud-chip-content");
        builder.AddContent(14, look.Text);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>The same chip as HTML, its text and tooltip encoded by <paramref name="encoder"/> (they may be user text).</summary>
    public static void AppendHtml(StringBuilder html, Look look, HtmlEncoder encoder)
    {
        html.Append("<div class=\"mud-chip-container\"><div class=\"").Append(ClassFor(look.Variant, look.Color, look.CssClass)).Append("\" tabindex=\"-1\"");
        if (look.Title is not null)
        {
            html.Append(" title=\"").Append(encoder.Encode(look.Title)).Append('"');
        }
        html.Append('>');
        if (look.Icon is not null)
        {
            LightIcon.AppendHtml(html, IconClass, look.Icon);
        }
        html.Append("<span class=\"mud-chip-content\">").Append(encoder.Encode(look.Text)).Append("</span></div></div>");
    }

    private const string IconClass = "mud-icon-root mud-svg-icon mud-icon-size-small mud-chip-icon";

    /// <summary>
    /// The few combinations a page uses, each built once: the string is held by the render tree of every chip on every open
    /// board, so one shared instance instead of one per chip (~100 bytes each, three chips a card).
    /// </summary>
    private static readonly ConcurrentDictionary<(Variant, Color, string), string> Classes = new();

    private static string ClassFor(Variant variant, Color color, string cssClass) => Classes.GetOrAdd((variant, color, cssClass),
        key => $"mud-chip mud-chip-{Name(key.Item1)} mud-chip-size-small mud-chip-color-{Name(key.Item2)} {key.Item3}");

    private static string Name(Enum value) => value.ToString().ToLowerInvariant();
}
