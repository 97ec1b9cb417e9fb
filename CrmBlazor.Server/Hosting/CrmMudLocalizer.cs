using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmBlazor.Server.Hosting;

/// <summary>MudBlazor's built-in texts (pager, filters, dialogs) in the user's language; English stays MudBlazor's own.</summary>
public sealed class CrmMudLocalizer(IStringLocalizer<MudTranslations> translations) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var text = translations[key];
            return text.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : text;
        }
    }
}
