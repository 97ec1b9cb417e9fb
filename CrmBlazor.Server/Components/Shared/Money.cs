using System.Globalization;

namespace CrmBlazor.Server.Components.Shared;

/// <summary>
/// SPEC J1: amounts are yuan (CNY), shown in the UI language — zh-CN "¥1,234.50", English "CN¥1,234.50".
/// The format is built here from a clone of the culture's <see cref="NumberFormatInfo"/> with every currency
/// field set, so the text does not depend on the ICU data of the machine the server runs on.
/// </summary>
public static class Money
{
    private static readonly NumberFormatInfo Chinese = Build("¥");
    private static readonly NumberFormatInfo Other = Build("CN¥");

    /// <summary>The symbol for an amount field's adornment in <paramref name="culture"/> (default: the UI culture).</summary>
    public static string Symbol(CultureInfo? culture = null) => FormatOf(culture).CurrencySymbol;

    /// <summary>Yuan with two decimals: ¥1,234.50, -¥1,234.50.</summary>
    public static string Format(decimal amount, CultureInfo? culture = null) => amount.ToString("C2", FormatOf(culture));

    /// <summary>Whole yuan, for figures where fen are noise (annual amounts): ¥1,235.</summary>
    public static string FormatWhole(decimal amount, CultureInfo? culture = null) => amount.ToString("C0", FormatOf(culture));

    private static NumberFormatInfo FormatOf(CultureInfo? culture) =>
        Features.Dictionaries.DictionaryLabels.IsChineseCulture(culture ?? CultureInfo.CurrentUICulture) ? Chinese : Other;

    private static NumberFormatInfo Build(string symbol)
    {
        var format = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        format.CurrencySymbol = symbol;
        format.CurrencyDecimalDigits = 2;
        format.CurrencyDecimalSeparator = ".";
        format.CurrencyGroupSeparator = ",";
        format.CurrencyGroupSizes = [3];
        format.CurrencyPositivePattern = 0; // ¥n
        format.CurrencyNegativePattern = 1; // -¥n
        format.NegativeSign = "-";
        return NumberFormatInfo.ReadOnly(format);
    }
}
