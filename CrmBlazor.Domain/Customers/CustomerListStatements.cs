using System.Linq.Expressions;
using System.Reflection;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>The customer list's reads of a page's tags and custom values, and its page size written into the SQL (issue 18).</summary>
internal static class CustomerListStatements
{
    /// <summary>The tags (name and colour) of these customers, by customer id; no statement for none.</summary>
    public static async Task<ILookup<Guid, TagChip>> TagsAsync(CrmDbContext db, List<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? NoTags : (await db.CustomerTags
            // The ids as one parameter (a JSON array on SQLite and SQL Server, an array on PostgreSQL): one statement text
            // for every page, where an IN list of up to 50 parameters had EF write the SQL anew on each call.
            .Where(t => EF.Parameter(ids).Contains(t.CustomerId))
            .Select(t => new { t.CustomerId, Chip = new TagChip(t.TagId, t.Tag!.Name, t.Tag.Color) })
            .ToListAsync(cancellationToken)).ToLookup(t => t.CustomerId, t => t.Chip);

    /// <summary>The custom values of these customers, by customer id; no statement for none.</summary>
    public static async Task<ILookup<Guid, CustomFieldValue>> ValuesAsync(CrmDbContext db, List<Guid> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? NoValues : (await db.CustomFieldValues.AsNoTracking()
            .Where(v => EF.Parameter(ids).Contains(v.CustomerId))
            .ToListAsync(cancellationToken)).ToLookup(v => v.CustomerId);

    private static readonly ILookup<Guid, TagChip> NoTags = Array.Empty<TagChip>().ToLookup(t => t.Id);
    private static readonly ILookup<Guid, CustomFieldValue> NoValues = Array.Empty<CustomFieldValue>().ToLookup(v => v.CustomerId);

    /// <summary>
    /// <c>Take(count)</c> with the count written into the SQL (<c>LIMIT 50</c>), not sent as a parameter as EF Core sends a
    /// top-level Take's count: SQLite took ~100 µs longer to run the list's page statement with its LIMIT bound as a
    /// parameter (the OFFSET cost nothing either way). Page sizes are few, so their statements are few in EF's cache.
    /// </summary>
    public static IQueryable<T> TakeWritten<T>(this IQueryable<T> source, int count) =>
        source.Provider.CreateQuery<T>(Expression.Call(TakeOf.MakeGenericMethod(typeof(T)), source.Expression,
            Expression.Call(ConstantOf, Expression.Constant(count))));

    private static readonly MethodInfo TakeOf =
        new Func<IQueryable<object>, int, IQueryable<object>>(Queryable.Take).Method.GetGenericMethodDefinition();

    private static readonly MethodInfo ConstantOf = new Func<int, int>(EF.Constant).Method;
}
