using System.Globalization;
using CrmBlazor.Domain.Dictionaries;

namespace CrmBlazor.Server.Features.Dictionaries;

/// <summary>
/// The dictionaries of one circuit, loaded once: labels codes in the user's language (inactive items
/// too, so old records keep their labels) and offers the active items for new entries.
/// </summary>
public sealed class DictionaryLabels(DictionaryService dictionaries)
{
    private Dictionary<DictionaryKind, IReadOnlyList<DictionaryItem>>? _items;

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        if (_items is not null)
        {
            return;
        }
        var items = new Dictionary<DictionaryKind, IReadOnlyList<DictionaryItem>>();
        foreach (var kind in Enum.GetValues<DictionaryKind>())
        {
            items[kind] = await dictionaries.ListAsync(kind, includeInactive: true, cancellationToken);
        }
        _items = items;
    }

    /// <summary>Forget what was loaded (after Admin changed a dictionary).</summary>
    public void Reset() => _items = null;

    /// <summary>Whether the page is shown in Chinese: the one place the Server decides it (labels, money, the language menu).</summary>
    public static bool IsChinese => IsChineseCulture(CultureInfo.CurrentUICulture);

    public static bool IsChineseCulture(CultureInfo culture) => culture.TwoLetterISOLanguageName == "zh";

    public string Label(DictionaryKind kind, string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "";
        }
        var item = Items(kind).FirstOrDefault(i => i.Code == code);
        return item?.Label(IsChinese) ?? code;
    }

    /// <summary>The choices for a new entry, plus <paramref name="keep"/> if it was deactivated since it was chosen.</summary>
    public IReadOnlyList<DictionaryItem> Choices(DictionaryKind kind, string? keep = null) =>
        Items(kind).Where(i => i.IsActive || i.Code == keep).ToList();

    private IReadOnlyList<DictionaryItem> Items(DictionaryKind kind) =>
        _items is not null && _items.TryGetValue(kind, out var list) ? list : [];
}
