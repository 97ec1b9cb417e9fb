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

    public static async Task<string> NextAsync(CrmDbContext db, int year, CancellationToken cancellationToken)
    {
        var serial = await NumberSequences.NextAsync(db, $"CRM{year}", cancellationToken);
        return Format(year, serial);
    }
}
