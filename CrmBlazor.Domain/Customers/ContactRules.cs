using System.Net.Mail;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Common;
using PhoneNumbers;

namespace CrmBlazor.Domain.Customers;

/// <summary>
/// Phone and e-mail rules for contacts (SPEC B2), with libphonenumber: a mobile is a Chinese mobile
/// (11 digits, 1[3-9]…) or an international number in E.164 (+…); a landline is any valid number.
/// Valid input comes back normalised: Chinese mobiles as 11 digits, others in E.164.
/// </summary>
public static partial class ContactRules
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Whether <paramref name="input"/> is a mobile number <see cref="NormalizeMobile"/> accepts.</summary>
    public static bool IsValidMobile(string input) => NormalizeMobile(input, "", []) is not null;

    public static string? NormalizeMobile(string? input, string field, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }
        var number = Parse(input);
        var type = number is null ? PhoneNumberType.UNKNOWN : Phones.GetNumberType(number);
        if (number is null || !Phones.IsValidNumber(number) || type is not (PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE))
        {
            errors.Add(new ValidationError(field, "Validation.MobileInvalid", $"{input} is not a valid mobile number (11 digits starting 13–19, or +country code).", input.Trim()));
            return null;
        }
        var national = Phones.GetNationalSignificantNumber(number);
        return number.CountryCode == 86 && ChineseMobile().IsMatch(national) ? national : Phones.Format(number, PhoneNumberFormat.E164);
    }

    public static string? NormalizeLandline(string? input, string field, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }
        var number = Parse(input);
        if (number is null || !Phones.IsValidNumber(number))
        {
            errors.Add(new ValidationError(field, "Validation.LandlineInvalid", $"{input} is not a valid phone number.", input.Trim()));
            return null;
        }
        return number.CountryCode == 86 ? Phones.Format(number, PhoneNumberFormat.NATIONAL) : Phones.Format(number, PhoneNumberFormat.E164);
    }

    public static string? NormalizeEmail(string? input, string field, List<ValidationError> errors)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }
        var trimmed = input.Trim();
        if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(new ValidationError(field, "Validation.EmailInvalid", $"{input} is not a valid e-mail address.", trimmed));
            return null;
        }
        return trimmed.ToLowerInvariant();
    }

    private static PhoneNumber? Parse(string input)
    {
        try
        {
            return Phones.Parse(input.Trim(), "CN");
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    [GeneratedRegex("^1[3-9][0-9]{9}$")]
    private static partial Regex ChineseMobile();
}
