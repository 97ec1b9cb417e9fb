using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Dictionaries;

/// <summary>The rule every form with dictionary fields follows (customers, leads).</summary>
public static class DictionaryChoices
{
    /// <summary>A new or changed value must be an active dictionary item; an unchanged one may have been deactivated since.</summary>
    public static async Task CheckAsync(CrmDbContext db, DictionaryKind kind, string? current, string? code, string field, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code) || code == current)
        {
            return;
        }
        if (!await db.DictionaryItems.AnyAsync(d => d.Kind == kind && d.Code == code && d.IsActive, cancellationToken))
        {
            errors.Add(new ValidationError(field, "Validation.DictionaryValueUnknown", $"{code} is not an active choice for {field}.", code));
        }
    }
}
