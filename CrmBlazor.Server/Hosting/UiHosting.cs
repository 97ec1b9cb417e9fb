using CrmBlazor.Server.Components;
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
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
