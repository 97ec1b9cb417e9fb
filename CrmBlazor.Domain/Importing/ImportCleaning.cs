using System.Globalization;
using System.Text;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// Issue 17's cleaning of a team's own sheet, cell by cell, before any rule checks it: text trimmed and full-width
/// letters, digits and phone, e-mail and address signs made half-width; a phone put in the field its shape says (a landline typed in the mobile
/// column goes to the landline); dates in the writings a Chinese sheet uses. A cell starting with "=" stays text: it is
/// never evaluated, and an export neutralises it (<see cref="ExcelText"/>).
/// </summary>
public enum ImportCleaningKind
{
    /// <summary>A cell with full-width letters, digits or signs, made half-width.</summary>
    HalfWidth,

    /// <summary>A mobile or landline written otherwise than it is kept (spaces, dashes, +86, full-width digits).</summary>
    PhoneReformatted,

    /// <summary>A landline typed in the mobile column, moved to the landline.</summary>
    LandlineMoved,

    /// <summary>A date read from text or an Excel serial number rather than a date cell.</summary>
    DateRead,

    /// <summary>A coded value (industry, size, status…) replaced by the item the user chose for it in the value-mapping step.</summary>
    ValueMapped,

    /// <summary>A number from the team's own sheet (C001, not ours) kept as the customer's external code.</summary>
    LegacyNumberKept,
}

public static class ImportCleaning
{
    private static readonly string[] DateFormats =
    [
        "yyyy-M-d", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyyMMdd",
        "yyyy-M-d H:mm", "yyyy/M/d H:mm", "yyyy.M.d H:mm", "yyyy年M月d日 H:mm", "yyyy-M-d H:mm:ss", "yyyy/M/d H:mm:ss",
        "yyyy-M-dTH:mm:ss", "yyyy年M月d日H:mm", "yyyy年M月d日H时mm分", "yyyy年M月d日 H时mm分",
    ];

    /// <summary>Trimmed, with full-width letters, digits and + - . @ _ / : # and the ideographic space made half-width; null when blank.</summary>
    public static string? Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!value.AsSpan().ContainsAnyInRange('\uFF01', '\uFF5E') && !value.Contains('\u3000')) // the common case: nothing full-width, no copy
        {
            return value.Trim();
        }
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                // Letters, digits and the signs of phones, e-mails and addresses; Chinese punctuation such as （）、， stays.
                >= '０' and <= '９' or >= 'Ａ' and <= 'Ｚ' or >= 'ａ' and <= 'ｚ' or '＋' or '－' or '．' or '＠' or '＿' or '／' or '：' or '＃' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                _ => c,
            });
        }
        var text = builder.ToString().Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>Whether <see cref="Text"/> changes more than the surrounding blanks of <paramref name="value"/>.</summary>
    public static bool ChangesWidth(string value) =>
        (value.AsSpan().ContainsAnyInRange('\uFF01', '\uFF5E') || value.Contains('\u3000')) && Text(value) != value.Trim();

    /// <summary>The phone cells as the contact keeps them, each in the field its shape says.</summary>
    public sealed record Phones(string? Mobile, string? Landline, bool LandlineMoved);

    /// <summary>
    /// A value in the mobile column that is no mobile but a valid landline moves to the landline when that is empty
    /// (<see cref="Phones.LandlineMoved"/>); anything else is left where it was, for the usual checks to judge.
    /// </summary>
    public static Phones SortPhones(string? mobile, string? landline)
    {
        if (mobile is not null && landline is null && !LooksLikeMobile(mobile) && IsLandlineOnly(mobile))
        {
            return new Phones(null, mobile, true);
        }
        return new Phones(mobile, landline, false);
    }

    /// <summary>11 digits from 1, perhaps after 86: no need to ask the phone library (it runs once per row anyway).</summary>
    private static bool LooksLikeMobile(string value)
    {
        Span<char> digits = stackalloc char[16];
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return false;
                }
                digits[count++] = c;
            }
        }
        var national = count == 13 && digits.StartsWith("86") ? digits[2..count] : digits[..count];
        return national.Length == 11 && national[0] == '1';
    }

    private static bool IsLandlineOnly(string value)
    {
        var errors = new List<ValidationError>();
        return ContactRules.NormalizeMobile(value, "", errors) is null && ContactRules.NormalizeLandline(value, "", errors) is not null;
    }

    /// <summary>
    /// A date cell: a date the workbook typed as one, an Excel serial number (a date cell formatted as General), or text
    /// written 2024-01-05, 2024/1/5, 2024.01.05, 2024年1月5日 or 20240105, with or without a time; false for anything else.
    /// </summary>
    public static bool TryDate(object? cell, out DateTime date)
    {
        date = default;
        switch (cell)
        {
            case DateTime typed:
                date = typed;
                return true;
            case double serial when serial >= 1 && serial < 2958466: // 1900-01-01 … 9999-12-31
                date = DateTime.FromOADate(serial);
                return true;
            case string s when Text(s) is { } text:
                return DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out date);
            default:
                return false;
        }
    }
}
