using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>
/// Customer numbers <c>CRM{yyyy}{nnn}</c> (SPEC B1): a per-year counter row bumped inside the caller's
/// transaction, so concurrent creators queue on the row lock and never share a number. The serial
/// simply widens past 999.
/// </summary>
public static class CustomerNumbers
{
    public static string Format(int year, long serial) => $"CRM{year}{serial:D3}";

    /// <summary>Serials up to this many digits get a numeric sort key; a wider or foreign number sorts last.</summary>
    private const int MaxSerialDigits = 12;

    private const long YearFactor = 1_000_000_000_000;

    /// <summary>The sort key of a number that does not read as <c>CRM{yyyy}{serial}</c>: after every real one.</summary>
    public const long Unordered = long.MaxValue;

    /// <summary>
    /// The numeric sort key of <c>CRM{yyyy}{serial}</c>: year × 10^12 + serial, so CRM20261000 sorts after
    /// CRM2026999 (docs/decisions/0007). The migration that added the column computes the same in SQL.
    /// </summary>
    public static long OrderOf(string? number)
    {
        if (number is not { Length: > 7 and <= 7 + MaxSerialDigits } || !number.StartsWith("CRM", StringComparison.Ordinal)
            || number.AsSpan(3).ContainsAnyExceptInRange('0', '9'))
        {
            return Unordered;
        }
        var year = long.Parse(number.AsSpan(3, 4), System.Globalization.CultureInfo.InvariantCulture);
        var serial = long.Parse(number.AsSpan(7), System.Globalization.CultureInfo.InvariantCulture);
        return (year * YearFactor) + serial;
    }

    public static async Task<string> NextAsync(CrmDbContext db, int year, CancellationToken cancellationToken)
    {
        var serial = await NumberSequences.NextAsync(db, $"CRM{year}", cancellationToken);
        return Format(year, serial);
    }
}
