using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace CrmBlazor.Server.Components.Layout;

/// <summary>
/// The app's theme as MudThemeProvider writes it (its <c>&lt;style&gt;</c> elements), without a MudThemeProvider in every
/// tab: the markup is rendered once for the light theme and once for the dark one, by MudThemeProvider itself, and every
/// tab writes that one string (issue 18). A MudThemeProvider in each tab kept its own ~25 KB copy of the styles in each of
/// its two render trees, a default MudTheme (~10 KB of palettes) and a JS watch of the system's dark mode.
/// The theme follows the user's own choice (the <c>crm-theme</c> cookie and the app bar's toggle), not the system's changes.
/// Should that one render fail (a MudBlazor upgrade, say), the tab logs it and shows a MudThemeProvider of its own.
/// </summary>
public sealed class ThemeStyles : ComponentBase
{
    /// <summary>The light and the dark styles, each rendered once for the whole process.</summary>
    private static readonly Task<string>?[] Rendered = new Task<string>?[2];

    private string? _markup;
    private bool _failed;

    /// <summary>The styles as last rendered: the string held for every tab with this theme.</summary>
    internal string? Markup => _markup;

    [Inject] private IServiceScopeFactory ScopeFactory { get; set; } = default!;

    [Inject] private ILogger<ThemeStyles> Logger { get; set; } = default!;

    [Parameter] public bool IsDarkMode { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        try
        {
            _markup = await MarkupAsync(ScopeFactory, IsDarkMode);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Logger.LogError(exception, "The theme's styles could not be rendered once for all tabs; this tab shows a MudThemeProvider of its own");
            _failed = true;
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (_failed)
        {
            builder.OpenComponent<MudThemeProvider>(0);
            builder.AddComponentParameter(1, nameof(MudThemeProvider.Theme), CrmTheme.Theme);
            builder.AddComponentParameter(2, nameof(MudThemeProvider.IsDarkMode), IsDarkMode);
            builder.AddComponentParameter(3, nameof(MudThemeProvider.ObserveSystemDarkModeChange), false);
            builder.CloseComponent();
        }
        else if (_markup is not null)
        {
            builder.AddMarkupContent(4, _markup);
        }
    }

    /// <summary>What MudThemeProvider writes for <see cref="CrmTheme.Theme"/>, light or dark: the same string every call.</summary>
    internal static Task<string> MarkupAsync(IServiceScopeFactory scopeFactory, bool dark)
    {
        var slot = dark ? 1 : 0;
        var held = Volatile.Read(ref Rendered[slot]);
        if (held is { IsFaulted: false, IsCanceled: false })
        {
            return held;
        }
        var rendering = RenderMudThemeProviderAsync(scopeFactory, dark);
        return Interlocked.CompareExchange(ref Rendered[slot], rendering, held) == held ? rendering : Rendered[slot]!;
    }

    /// <summary>Renders MudThemeProvider to HTML, as a static page would, in a scope of its own (no tab's, no circuit's).</summary>
    private static async Task<string> RenderMudThemeProviderAsync(IServiceScopeFactory scopeFactory, bool dark)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = CrmTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
                [nameof(MudThemeProvider.ObserveSystemDarkModeChange)] = false,
            });
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return output.ToHtmlString();
        });
    }
}
