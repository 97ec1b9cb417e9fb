using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace CrmBlazor.Server.Components.Layout;

/// <summary>
/// <c>MudThemeProvider</c>, whose styles are one string for every tab that shows the same theme. MudThemeProvider writes
/// its theme as a new ~25 KB <c>&lt;style&gt;</c> string on each render, and every open tab kept its own two copies (its
/// current and previous render tree): ~50 KB a tab, the largest single item of a tab's server memory (issue 18). Here it
/// renders as MudThemeProvider does, and the theme's styles are swapped for the equal string already held.
/// </summary>
public sealed class SharedThemeProvider : MudThemeProvider
{
    /// <summary>The styles written so far: a light and a dark theme, and the fixed pieces. Capped, in case of a theme per user.</summary>
    private static readonly ConcurrentDictionary<string, string> Styles = new(StringComparer.Ordinal);

    private const int MaxStyles = 32;

    /// <summary>MudThemeProvider's fixed styles, as its own render writes them (a test compares the two).</summary>
    private static readonly string Scrollbar = BuildMudBlazorScrollbar();

    private const string ChartStyles = "<style>\n    .mud-chart-serie:hover {\n        filter: url(#lighten);\n    }\n\n    .mud-chart-serie-hovered \n    {\n        filter: url(#lighten);\n    }\n</style>\n\n";

    /// <summary>What MudThemeProvider renders, with the theme's styles held once.</summary>
    protected override void BuildRenderTree(RenderTreeBuilder __builder)
    {
        if (!DefaultScrollbar)
        {
            __builder.AddMarkupContent(0, Scrollbar);
        }
        __builder.AddMarkupContent(1, ChartStyles);
        Style = Shared(BuildTheme());
        __builder.AddMarkupContent(2, Style);
    }

    /// <summary>The theme's style as last rendered: the string held for every tab with this theme.</summary>
    internal string? Style { get; private set; }

    /// <summary>The one held string equal to <paramref name="markup"/>.</summary>
    internal static string Shared(string markup) =>
        Styles.TryGetValue(markup, out var held) ? held
        : Styles.Count < MaxStyles ? Styles.GetOrAdd(markup, markup)
        : markup;
}
