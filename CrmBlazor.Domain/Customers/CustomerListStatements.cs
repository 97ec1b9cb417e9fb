using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using NarrowedCount = System.Func<CrmBlazor.Domain.Data.CrmDbContext, string?, string?, string?, string?, System.Guid?, string?, string?, bool?,
    System.DateTime?, System.DateTime?, System.Guid?, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>>;
using NarrowedPage = System.Func<CrmBlazor.Domain.Data.CrmDbContext, string?, string?, string?, string?, System.Guid?, string?, string?, bool?,
    System.DateTime?, System.DateTime?, System.Guid?, int, System.Collections.Generic.IAsyncEnumerable<CrmBlazor.Domain.Customers.CustomerListStatements.PageRow>>;

namespace CrmBlazor.Domain.Customers;

/// <summary>
/// The customer list's statements besides its general LINQ (issue 18, the list within 1.5× of hand-written SQL): the page
/// compiled for its two commonest calls, a page's tags and custom values, and its page size written into the SQL.
/// </summary>
internal static class CustomerListStatements
{
    /// <summary>One row of a page, and whether the customer has tags or custom values to read.</summary>
    internal sealed record PageRow(CustomerListItem Item, bool HasTags, bool HasValues);

    internal static readonly Expression<Func<Customer, PageRow>> PageRowOf = c => new PageRow(
        new CustomerListItem(c.Id, c.Number, c.Name, c.Industry, c.Size, c.Status, c.Tier, c.Owner!.DisplayName,
            c.Province, c.City, c.LastContactAt, c.UpdatedAt,
            c.Contacts.Where(k => k.IsKey && !k.HasLeft).Select(k => k.Name).FirstOrDefault(),
            c.Contacts.Where(k => k.IsKey && !k.HasLeft).Select(k => k.Mobile).FirstOrDefault()),
        c.Tags.Any(),
        c.CustomValues.Any());

    private sealed record CompiledSearch(
        Func<CrmDbContext, string, string, string[], string, int, IAsyncEnumerable<PageRow>> All,
        Func<CrmDbContext, string, string, string[], string, Guid, int, IAsyncEnumerable<PageRow>> Own);

    // Per model (each provider has its own) and page size (written into the SQL; the list offers a few); the narrowed page per
    // order, the search per number of name pieces (each piece is one INTERSECT arm, as CustomerSearch.Matching writes them).
    private static readonly ConcurrentDictionary<(IModel, int, CustomerSort, bool), NarrowedPage> NarrowedPages = new();
    private static readonly ConcurrentDictionary<IModel, NarrowedCount> NarrowedCounts = new();
    private static readonly ConcurrentDictionary<(IModel, int, int), CompiledSearch> Searches = new();

    /// <summary>Terms with more distinct name pieces than this take the LINQ path.</summary>
    internal const int MostPiecesCompiled = 16;

    /// <summary>
    /// The page sizes the app asks for (the picker's 8, the autocompletes' 10, the list's 25, 50 and 100): each is compiled
    /// once per model. Any other size (the API takes 1–200) takes the LINQ path, so callers cannot fill the cache.
    /// </summary>
    private static readonly int[] CompiledSizes = [8, 10, 25, 50, 100];

    /// <summary>
    /// What the compiled page and count take from a filter that narrows by at most one value per field and searches nothing:
    /// each value null where the filter does not narrow by it, and the order. The list as it opens is all nulls, number order.
    /// </summary>
    internal sealed record Narrowing(string? Industry, string? Size, string? Status, string? Tier, Guid? OwnerId, string? Province,
        string? City, bool? NeverContacted, DateTime? LastContactFrom, DateTime? LastContactTo, CustomerSort Sort, bool Descending);

    /// <summary>
    /// The filter as a <see cref="Narrowing"/>, or null when it needs the list's LINQ: a search term, several values of a
    /// field, tags, custom fields, an order by a custom field. Every member of <see cref="CustomerFilter"/> is named here (a
    /// test fails when one is not), so a filter added to the list cannot be skipped by the compiled statements.
    /// </summary>
    internal static Narrowing? NarrowingOf(CustomerFilter f) =>
        string.IsNullOrWhiteSpace(f.Search)
        && f is { Industries.Count: <= 1, Sizes.Count: <= 1, Statuses.Count: <= 1, Tiers.Count: <= 1, TagIds.Count: 0, CustomFields.Count: 0, SortFieldId: null }
        && f.Sort != CustomerSort.CustomField
            ? new Narrowing(OneOf(f.Industries), OneOf(f.Sizes), OneOf(f.Statuses), OneOf(f.Tiers), f.OwnerId,
                NullIfBlank(f.Province), NullIfBlank(f.City), f.NeverContacted ? true : null, f.LastContactFrom, f.LastContactTo, f.Sort, f.Descending)
            : null;

    private static string? OneOf(IReadOnlyList<string> values) => values.Count == 1 ? values[0] : null;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// Whether the filter is the list as it opens or the search box alone: nothing but <see cref="CustomerFilter.Search"/>
    /// set, number order ascending. Every member of <see cref="CustomerFilter"/> is named here (a test fails when one is not),
    /// so a filter added to the list cannot be skipped by the compiled page while the count applies it.
    /// </summary>
    internal static bool IsOpeningOrSearchOnly(CustomerFilter f) =>
        f is { Industries.Count: 0, Sizes.Count: 0, Statuses.Count: 0, Tiers.Count: 0, OwnerId: null, TagIds.Count: 0,
            LastContactFrom: null, LastContactTo: null, NeverContacted: false, CustomFields.Count: 0,
            Sort: CustomerSort.Number, Descending: false, SortFieldId: null }
        && string.IsNullOrWhiteSpace(f.Province) && string.IsNullOrWhiteSpace(f.City);

    /// <summary>
    /// The page compiled, for the calls people make most — the list as it opens or narrowed by one value per field (any order
    /// but a custom field's), and the search box alone in number order — by those who see everyone or only their own
    /// customers; null for any other call, which the list writes as LINQ. Translating that LINQ on each call cost more than
    /// running these statements (the search's especially; a quarter of a filtered first page).
    /// </summary>
    public static async Task<List<PageRow>?> CompiledPageAsync(CrmDbContext db, CustomerFilter filter, ICurrentUser user, int skip, int take,
        CancellationToken cancellationToken)
    {
        if (!CompiledSizes.Contains(take) || ScopeOwnerOf(user) is not var (seesEveryone, userId))
        {
            return null;
        }
        IAsyncEnumerable<PageRow> rows;
        if (NarrowingOf(filter) is { } n)
        {
            var page = NarrowedPages.GetOrAdd((db.Model, take, n.Sort, n.Descending), key => CompileNarrowedPage(key.Item2, key.Item3, key.Item4));
            rows = page(db, n.Industry, n.Size, n.Status, n.Tier, n.OwnerId, n.Province, n.City, n.NeverContacted, n.LastContactFrom,
                n.LastContactTo, seesEveryone ? null : userId, skip);
        }
        else if (IsOpeningOrSearchOnly(filter) && CustomerSearch.KeysOf(filter.Search ?? "") is { } keys && keys.Pieces.Count <= MostPiecesCompiled)
        {
            var search = Searches.GetOrAdd((db.Model, take, keys.Pieces.Count), key => CompileSearch(key.Item2, key.Item3));
            var pieces = keys.Pieces.ToArray();
            rows = seesEveryone
                ? search.All(db, keys.Low, keys.High, pieces, keys.Upper, skip)
                : search.Own(db, keys.Low, keys.High, pieces, keys.Upper, userId, skip);
        }
        else
        {
            return null; // a search with other filters; a one-character term, which scans the names; a very long one, too many pieces
        }
        var found = new List<PageRow>(take);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            found.Add(row);
        }
        return found;
    }

    /// <summary>
    /// How many customers a narrowed filter finds (compiled as the page is); null for a filter or user the page would leave to
    /// LINQ. The list counts with this when its page does not tell the total.
    /// </summary>
    public static Task<int>? CompiledCountAsync(CrmDbContext db, CustomerFilter filter, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (NarrowingOf(filter) is not { } n || ScopeOwnerOf(user) is not var (seesEveryone, userId))
        {
            return null;
        }
        var count = NarrowedCounts.GetOrAdd(db.Model, _ => CompileNarrowedCount());
        return count(db, n.Industry, n.Size, n.Status, n.Tier, n.OwnerId, n.Province, n.City, n.NeverContacted, n.LastContactFrom,
            n.LastContactTo, seesEveryone ? null : userId, cancellationToken);
    }

    /// <summary>
    /// Those who see everyone (the owner to hold to is none) and reps, who see their own customers (RecordScope.VisibleTo's
    /// rule for someone who neither sees everyone nor supervises); null for a supervisor, whose team scope LINQ writes.
    /// </summary>
    private static (bool SeesEveryone, Guid UserId)? ScopeOwnerOf(ICurrentUser user)
    {
        var (seesEveryone, userId, supervises) = RecordScope.AsParameters(user);
        return supervises || (!seesEveryone && userId == Guid.Empty) ? null : (seesEveryone, userId);
    }

    /// <summary>
    /// The customers a <see cref="Narrowing"/> (and the owner a rep holds to) finds, its values as parameters. A condition
    /// whose parameter is null leaves the SQL: EF Core writes the statement once per pattern of null parameters, so each
    /// filter people use gets the statement CustomerQueries.Filtered would write for it.
    /// </summary>
    private static readonly Expression<Func<CrmDbContext, string?, string?, string?, string?, Guid?, string?, string?, bool?, DateTime?, DateTime?, Guid?, IQueryable<Customer>>> Narrowed =
        (db, industry, size, status, tier, ownerId, province, city, neverContacted, from, to, scopeOwner) => db.Customers.AsNoTracking().Where(c =>
            (scopeOwner == null || c.OwnerId == scopeOwner)
            && (industry == null || c.Industry == industry)
            && (size == null || c.Size == size)
            && (status == null || c.Status == status)
            && (tier == null || c.Tier == tier)
            && (ownerId == null || c.OwnerId == ownerId)
            && (province == null || c.Province == province)
            && (city == null || c.City == city)
            && (neverContacted == null || c.LastContactAt == null)
            && (from == null || c.LastContactAt >= from)
            && (to == null || c.LastContactAt < to));

    /// <summary>A page of <see cref="Narrowed"/> in one order, written as CustomerQueries.Sorted writes it (through a stand-in source).</summary>
    private static NarrowedPage CompileNarrowedPage(int take, CustomerSort sort, bool descending)
    {
        var source = Expression.Parameter(typeof(IQueryable<Customer>), "narrowed");
        var sorted = CustomerQueries.Sorted(new EnumerableQuery<Customer>(source), new CustomerFilter { Sort = sort, Descending = descending }).Expression;
        Expression<Func<IQueryable<Customer>, int, IQueryable<PageRow>>> page = (rows, skip) => rows.Skip(skip).Take(take).Select(PageRowOf);
        var skipParameter = Expression.Parameter(typeof(int), "skip");
        var body = Replace(page, Replace(Expression.Lambda(sorted, source), Narrowed.Body), skipParameter);
        return EF.CompileAsyncQuery(Expression.Lambda<Func<CrmDbContext, string?, string?, string?, string?, Guid?, string?, string?, bool?, DateTime?, DateTime?, Guid?, int, IQueryable<PageRow>>>(
            body, Narrowed.Parameters.Append(skipParameter)));
    }

    private static NarrowedCount CompileNarrowedCount()
    {
        Expression<Func<IQueryable<Customer>, int>> count = rows => rows.Count();
        var cancellation = Expression.Parameter(typeof(CancellationToken), "cancellationToken");
        return EF.CompileAsyncQuery(Expression.Lambda<Func<CrmDbContext, string?, string?, string?, string?, Guid?, string?, string?, bool?, DateTime?, DateTime?, Guid?, CancellationToken, int>>(
            Replace(count, Narrowed.Body), Narrowed.Parameters.Append(cancellation)));
    }

    /// <summary>
    /// The search box's three ways in as <see cref="CustomerSearch.Matching"/> writes them — a number, mobile or e-mail by
    /// prefix; a name holding every piece (one INTERSECT arm per piece); a merged customer's old number — with the keys as
    /// parameters: the page templates below with their <c>ids</c> replaced by <see cref="SearchIds"/>, whose <c>byName</c>
    /// is the chain of <paramref name="pieces"/> arms.
    /// </summary>
    private static CompiledSearch CompileSearch(int take, int pieces)
    {
        Expression<Func<CrmDbContext, string, string, string[], string, int, IQueryable<Guid>, IQueryable<PageRow>>> all =
            (db, low, high, names, upper, skip, ids) => db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id))
                .OrderBy(c => c.NumberOrder).ThenBy(c => c.Id).Skip(skip).Take(take).Select(PageRowOf);
        Expression<Func<CrmDbContext, string, string, string[], string, Guid, int, IQueryable<Guid>, IQueryable<PageRow>>> own =
            (db, low, high, names, upper, userId, skip, ids) => db.Customers.AsNoTracking().Where(c => c.OwnerId == userId && ids.Contains(c.Id))
                .OrderBy(c => c.NumberOrder).ThenBy(c => c.Id).Skip(skip).Take(take).Select(PageRowOf);
        return new CompiledSearch(
            EF.CompileAsyncQuery(WithSearch<Func<CrmDbContext, string, string, string[], string, int, IQueryable<PageRow>>>(all, pieces)),
            EF.CompileAsyncQuery(WithSearch<Func<CrmDbContext, string, string, string[], string, Guid, int, IQueryable<PageRow>>>(own, pieces)));
    }

    private static readonly Expression<Func<CrmDbContext, string, string, string, IQueryable<Guid>, IQueryable<Guid>>> SearchIds =
        (db, low, high, upper, byName) => db.CustomerSearchTokens
            .Where(t => t.Kind == CustomerSearchToken.Prefix && string.Compare(t.Token, low) >= 0 && string.Compare(t.Token, high) < 0)
            .Select(t => t.CustomerId)
            .Union(byName)
            .Union(db.CustomerAliases.Where(a => a.Number == upper).Select(a => a.CustomerId));

    private static readonly Expression<Func<CrmDbContext, string[], int, IQueryable<Guid>>> PieceArm = (db, names, i) =>
        db.CustomerSearchTokens.Where(t => t.Kind == CustomerSearchToken.Bigram && t.Token == names[i]).Select(t => t.CustomerId);

    private static readonly MethodInfo IntersectOf =
        new Func<IQueryable<Guid>, IEnumerable<Guid>, IQueryable<Guid>>(Queryable.Intersect).Method;

    /// <summary>
    /// A page template (parameters db, low, high, names, upper, …, ids) without its last parameter, <c>ids</c>, which becomes
    /// <see cref="SearchIds"/> over its own parameters with arm 0 INTERSECT arm 1 … of the name pieces.
    /// </summary>
    private static Expression<TCompiled> WithSearch<TCompiled>(LambdaExpression template, int pieces)
        where TCompiled : Delegate
    {
        var (db, low, high, names, upper) = (template.Parameters[0], template.Parameters[1], template.Parameters[2], template.Parameters[3], template.Parameters[4]);
        Expression Arm(int i) => Replace(PieceArm, db, names, Expression.Constant(i));
        var byName = Arm(0);
        for (var i = 1; i < pieces; i++)
        {
            byName = Expression.Call(IntersectOf, byName, Arm(i));
        }
        var ids = Replace(SearchIds, db, low, high, upper, byName);
        return Expression.Lambda<TCompiled>(
            new Replacer(new Dictionary<Expression, Expression> { [template.Parameters[^1]] = ids }).Visit(template.Body)!,
            template.Parameters.Take(template.Parameters.Count - 1));
    }

    /// <summary>The lambda's body with its parameters, in order, replaced by these expressions.</summary>
    private static Expression Replace(LambdaExpression lambda, params Expression[] arguments) =>
        new Replacer(lambda.Parameters.Zip(arguments).ToDictionary(p => (Expression)p.First, p => p.Second)).Visit(lambda.Body)!;

    private sealed class Replacer(Dictionary<Expression, Expression> replacements) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) =>
            node is not null && replacements.TryGetValue(node, out var replacement) ? replacement : base.Visit(node);
    }

    /// <summary>
    /// The tags (name and colour) of these customers, by customer id; no statement for none. A tag deleted since the page was
    /// read has no row in Tags, so the inner join leaves it out.
    /// </summary>
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
    /// parameter (the OFFSET cost nothing either way). EF's query cache holds one entry per size (it is bounded).
    /// </summary>
    public static IQueryable<T> TakeWritten<T>(this IQueryable<T> source, int count) =>
        source.Provider.CreateQuery<T>(Expression.Call(TakeOf.MakeGenericMethod(typeof(T)), source.Expression,
            Expression.Call(ConstantOf, Expression.Constant(count))));

    private static readonly MethodInfo TakeOf =
        new Func<IQueryable<object>, int, IQueryable<object>>(Queryable.Take).Method.GetGenericMethodDefinition();

    private static readonly MethodInfo ConstantOf = new Func<int, int>(EF.Constant).Method;
}
