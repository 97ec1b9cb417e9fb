using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// SPEC J1: zh-CN and English. The browser's preference decides until the user picks one with the
/// language switch, which stores it in the culture cookie.
/// </summary>
public static class LocalizationHosting
{
    public static readonly string[] Cultures = ["zh-CN", "en"];

    public static WebApplicationBuilder AddCrmLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.SetDefaultCulture("en").AddSupportedCultures(Cultures).AddSupportedUICultures(Cultures);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return builder;
    }

    public static WebApplication UseCrmLocalization(this WebApplication app)
    {
        app.UseRequestLocalization();
        app.MapGet("/culture/set", (string culture, string? redirectUri, HttpContext context) =>
        {
            if (Cultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
            {
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(CultureInfo.GetCultureInfo(culture))),
                    new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            }
            return Results.LocalRedirect(SignInHosting.SafeReturnUrl(redirectUri));
        }).AllowAnonymous();
        return app;
    }
}
