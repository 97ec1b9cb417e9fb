using System.Globalization;
using CrmBlazor.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>The app's own resource texts, outside a page, and a way to read them in one culture.</summary>
public static class ServerTexts
{
    public static readonly IStringLocalizer Localizer = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources")
        .BuildServiceProvider().GetRequiredService<IStringLocalizer<SharedResource>>();

    /// <summary>What <paramref name="text"/> gives with <paramref name="culture"/> as the UI and format culture; the thread's cultures are put back.</summary>
    public static string In(string culture, Func<string> text)
    {
        var (ui, format) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        try
        {
            return text();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, format);
        }
    }
}
