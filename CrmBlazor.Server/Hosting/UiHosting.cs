using CrmBlazor.Domain.Access;
using CrmBlazor.Server.Components;
using CrmBlazor.Server.Components.Shared;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor;
using MudBlazor.Services;

namespace CrmBlazor.Server.Hosting;

public static class UiHosting
{
    public static WebApplicationBuilder AddCrmUi(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        builder.Services.AddTransient<MudLocalizer, CrmMudLocalizer>();
        builder.Services.AddScoped<Features.Dictionaries.DictionaryLabels>();
        builder.Services.AddScoped<DisplayTime>();
        builder.Services.AddScoped<BrowserSession>();
        builder.Services.AddScoped<Features.Interactions.InteractionDrafts>();
        builder.Services.AddScoped<CircuitHandler, DisplayTimeCircuitHandler>();
        return builder;
    }

    /// <summary>
    /// 404s and other empty error statuses show the friendly page. Registered before sign-in so the
    /// re-executed request (in its own scope) passes sign-in again and knows its user.
    /// </summary>
    public static WebApplication UseCrmStatusPages(this WebApplication app)
    {
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        return app;
    }

    public static WebApplication MapCrmUi(this WebApplication app)
    {
        app.UseAntiforgery();
        app.Use(UseDisplayZoneWhenPrerenderingAsync);
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ConfigureWebSocketAcceptContext = CompressEachMessageAlone);
        return app;
    }

    /// <summary>
    /// A circuit's WebSocket compressed as Blazor compresses it by default, but each message on its own
    /// (<c>server_no_context_takeover</c>): a compressor kept between messages reserves ~256 KB of native memory (zlib's
    /// window and tables, resident as far as they were touched) for as long as the tab stays open (issue 18). Render
    /// batches are small, so little compression is lost. The browser's own messages are still inflated with a kept
    /// context (~40 KB), which the server cannot decline. The response's CSP is the app's own (SecurityHosting:
    /// <c>frame-ancestors 'none'</c>), which replaces Blazor's frame-ancestors header.
    /// </summary>
    private static Task CompressEachMessageAlone(HttpContext context, WebSocketAcceptContext accept)
    {
        accept.DangerousEnableCompression = true;
        accept.DisableServerContextTakeover = true;
        return Task.CompletedTask;
    }

    // A page's prerendered HTML shows times as its circuit will; the circuit sets its own (DisplayTimeCircuitHandler).
    private static async Task UseDisplayZoneWhenPrerenderingAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null && context.User.Identity?.IsAuthenticated == true)
        {
            var services = context.RequestServices;
            services.GetRequiredService<DisplayTime>().Use(await services.GetRequiredService<UserPreferences>().TimeZoneAsync(context.RequestAborted));
        }
        await next(context);
    }
}
