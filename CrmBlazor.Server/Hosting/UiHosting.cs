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
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
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
