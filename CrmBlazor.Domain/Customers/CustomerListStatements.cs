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
using SearchCount = System.Func<CrmBlazor.Domain.Data.CrmDbContext, string, string, string, System.Guid?,
    string?, string?, string?, string?, string?, string?, string?, string?, string?, string?, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>>;
using SearchPage = System.Func<CrmBlazor.Domain.Data.CrmDbContext, string, string, string, System.Guid?, int,
    string?, string?, string?, string?, string?, string?, string?, string?, string?, string?, System.Collections.Generic.IAsyncEnumerable<System.Guid>>;
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

    // Per model (each provider has its own) and page size (written into the SQL; the list offers a few); the narrowed page per
    // order, the search per number of name pieces (each piece is one INTERSECT arm, as CustomerSearch.Matching writes them).
    private static readonly ConcurrentDictionary<(IModel, int, CustomerSort, bool), NarrowedPage> NarrowedPages = new();
    private static readonly ConcurrentDictionary<IModel, NarrowedCount> NarrowedCounts = new();
    private static readonly ConcurrentDictionary<(IModel, int, int), SearchPage> SearchPages = new();
    private static readonly ConcurrentDictionary<(IModel, int), SearchCount> SearchCounts = new();

    /// <summary>
    /// Terms with more distinct name pieces than this take the LINQ path: each piece is a parameter of the compiled search, and
    /// a compiled query takes at most 15 (nine characters of a name make eight pieces).
    /// </summary>
    internal const int MostPiecesCompiled = 10;

    /// <summary>
    /// The page sizes the app asks for (the customer picker's 8 and the autocompletes' 10, whose searches are ordered by last
    /// contact and so take LINQ; the list's 25, 50 and 100): each is compiled once per model. Any other size (the API takes
    /// 1–200) takes the LINQ path, so callers cannot fill the cache.
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
    /// field (or one null value, for which the LINQ finds the customers without one), tags, custom fields, an order by a
    /// custom field. Every member of <see cref="CustomerFilter"/> is named here (a test fails when one is not), so a filter
    /// added to the list cannot be skipped by the compiled statements.
    /// </summary>
    internal static Narrowing? NarrowingOf(CustomerFilter f) =>
        string.IsNullOrWhiteSpace(f.Search)
        && f is { Industries: [] or [not null], Sizes: [] or [not null], Statuses: [] or [not null], Tiers: [] or [not null],
            TagIds.Count: 0, CustomFields.Count: 0, SortFieldId: null }
        && f.Sort != CustomerSort.CustomField
            ? new Narrowing(OneOf(f.Industries), OneOf(f.Sizes), OneOf(f.Statuses), OneOf(f.Tiers), f.OwnerId,
                NullIfBlank(f.Province), NullIfBlank(f.City), f.NeverContacted ? true : null, f.LastContactFrom, f.LastContactTo, f.Sort, f.Descending)
            : null;

    private static string? OneOf(IReadOnlyList<string> values) => values.Count == 1 ? values[0] : null;

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// Whether nothing but the search box (<see cref="CustomerFilter.Search"/>) is set, in number order ascending: the filters
    /// the compiled search serves (an empty box is <see cref="NarrowingOf"/>'s). Every member of <see cref="CustomerFilter"/>
    /// is named here (a test fails when one is not), so a filter added to the list cannot be skipped by the compiled search.
    /// </summary>
    internal static bool IsSearchOnly(CustomerFilter f) =>
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
        else if (CompiledSearchKeysOf(filter) is { } keys)
        {
            var search = SearchPages.GetOrAdd((db.Model, take, keys.Pieces.Count), key => CompileSearch(key.Item2, key.Item3));
            var p = PiecesOf(keys);
            var ids = await ListOf(search(db, keys.Low, keys.High, keys.Upper, seesEveryone ? null : userId, skip,
                p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]), take, cancellationToken);
            if (ids.Count == 0)
            {
                return [];
            }
            var found = await RowsOfAsync(db, ids, seesEveryone ? null : userId, cancellationToken);
            // A customer deleted or given to someone else between the two statements: the general query reads the page
            // again, so that the page and the total the list works out from it agree.
            return found.Count == ids.Count ? found : null;
        }
        else
        {
            // Several values of a field, tags, custom fields or a custom field's order; a search with other filters or another
            // order; a one-character term, which scans the names; a term of more pieces than are compiled.
            return null;
        }
        return await ListOf(rows, take, cancellationToken);
    }

    /// <summary>The search box's keys when it is all the filter has and its term has few enough pieces to be compiled.</summary>
    private static CustomerSearch.SearchKeys? CompiledSearchKeysOf(CustomerFilter filter) =>
        IsSearchOnly(filter) && CustomerSearch.KeysOf(filter.Search ?? "") is { } keys && keys.Pieces.Count <= MostPiecesCompiled ? keys : null;

    private static async Task<List<T>> ListOf<T>(IAsyncEnumerable<T> rows, int capacity, CancellationToken cancellationToken)
    {
        var found = new List<T>(capacity);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            found.Add(row);
        }
        return found;
    }

    private static readonly ConcurrentDictionary<IModel, Func<CrmDbContext, List<Guid>, Guid?, IAsyncEnumerable<PageRow>>> RowsByIds = new();

    /// <summary>
    /// The page rows of these customers still within the owner a rep holds to (null: anyone's), in the order of
    /// <paramref name="ids"/>. The search finds its page's ids first, in a statement as short as a hand-written search's:
    /// SQLite prepares each statement anew, and the search's own (its INTERSECT arms) is the larger part of a small search;
    /// a search that finds nothing ends there.
    /// </summary>
    private static async Task<List<PageRow>> RowsOfAsync(CrmDbContext db, List<Guid> ids, Guid? scopeOwner, CancellationToken cancellationToken)
    {
        var query = RowsByIds.GetOrAdd(db.Model, _ => EF.CompileAsyncQuery((CrmDbContext context, List<Guid> customerIds, Guid? owner) =>
            context.Customers.AsNoTracking().Where(c => (owner == null || c.OwnerId == owner) && customerIds.Contains(c.Id)).Select(PageRowOf)));
        var rows = await ListOf(query(db, ids, scopeOwner), ids.Count, cancellationToken);
        var position = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        return rows.OrderBy(r => position[r.Item.Id]).ToList();
    }

    /// <summary>
    /// How many customers a narrowed filter or the search box alone finds (compiled as the page is); null for a filter or user
    /// the page would leave to LINQ. The list counts with this when its page does not tell the total.
    /// </summary>
    public static Task<int>? CompiledCountAsync(CrmDbContext db, CustomerFilter filter, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (ScopeOwnerOf(user) is not var (seesEveryone, userId))
        {
            return null;
        }
        if (NarrowingOf(filter) is { } n)
        {
            var count = NarrowedCounts.GetOrAdd(db.Model, _ => CompileNarrowedCount());
            return count(db, n.Industry, n.Size, n.Status, n.Tier, n.OwnerId, n.Province, n.City, n.NeverContacted, n.LastContactFrom,
                n.LastContactTo, seesEveryone ? null : userId, cancellationToken);
        }
        if (CompiledSearchKeysOf(filter) is { } keys)
        {
            var count = SearchCounts.GetOrAdd((db.Model, keys.Pieces.Count), key => CompileSearchCount(key.Item2));
            var p = PiecesOf(keys);
            return count(db, keys.Low, keys.High, keys.Upper, seesEveryone ? null : userId,
                p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], cancellationToken);
        }
        return null;
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
    /// parameters, one per piece (SQLite prepared the arms ~8 µs faster so than reading each piece from one JSON array): the
    /// page of ids in number order, its <c>ids</c> replaced by <see cref="SearchIds"/>. The owner to hold to is null for those
    /// who see everyone, as in <see cref="Narrowed"/>.
    /// </summary>
    private static SearchPage CompileSearch(int take, int pieces)
    {
        Expression<Func<CrmDbContext, string, string, string, Guid?, int, IQueryable<Guid>, IQueryable<Guid>>> page =
            (db, low, high, upper, scopeOwner, skip, ids) => db.Customers.Where(c => (scopeOwner == null || c.OwnerId == scopeOwner) && ids.Contains(c.Id))
                .OrderBy(c => c.NumberOrder).ThenBy(c => c.Id).Skip(skip).Take(take).Select(c => c.Id);
        return EF.CompileAsyncQuery(WithSearch<Func<CrmDbContext, string, string, string, Guid?, int,
            string?, string?, string?, string?, string?, string?, string?, string?, string?, string?, IQueryable<Guid>>>(page, pieces));
    }

    /// <summary>How many customers the search finds, written as <see cref="CompileSearch"/> writes its page.</summary>
    private static SearchCount CompileSearchCount(int pieces)
    {
        Expression<Func<CrmDbContext, string, string, string, Guid?, IQueryable<Guid>, int>> count =
            (db, low, high, upper, scopeOwner, ids) => db.Customers.Count(c => (scopeOwner == null || c.OwnerId == scopeOwner) && ids.Contains(c.Id));
        return EF.CompileAsyncQuery(WithSearch<Func<CrmDbContext, string, string, string, Guid?,
            string?, string?, string?, string?, string?, string?, string?, string?, string?, string?, CancellationToken, int>>(
            count, pieces, Expression.Parameter(typeof(CancellationToken), "cancellationToken")));
    }

    /// <summary>The term's name pieces as the compiled search's ten piece parameters; null for those it has not.</summary>
    private static string?[] PiecesOf(CustomerSearch.SearchKeys keys) =>
        Enumerable.Range(0, MostPiecesCompiled).Select(i => i < keys.Pieces.Count ? keys.Pieces[i] : null).ToArray();

    private static readonly Expression<Func<CrmDbContext, string, string, string, IQueryable<Guid>, IQueryable<Guid>>> SearchIds =
        (db, low, high, upper, byName) => db.CustomerSearchTokens
            .Where(t => t.Kind == CustomerSearchToken.Prefix && string.Compare(t.Token, low) >= 0 && string.Compare(t.Token, high) < 0)
            .Select(t => t.CustomerId)
            .Union(byName)
            .Union(db.CustomerAliases.Where(a => a.Number == upper).Select(a => a.CustomerId));

    private static readonly Expression<Func<CrmDbContext, string?, IQueryable<Guid>>> PieceArm = (db, piece) =>
        db.CustomerSearchTokens.Where(t => t.Kind == CustomerSearchToken.Bigram && t.Token == piece).Select(t => t.CustomerId);

    private static readonly MethodInfo IntersectOf =
        new Func<IQueryable<Guid>, IEnumerable<Guid>, IQueryable<Guid>>(Queryable.Intersect).Method;

    /// <summary>
    /// A template (parameters db, low, high, upper, …, ids) whose last parameter, <c>ids</c>, becomes <see cref="SearchIds"/>
    /// over its own parameters, with the first <paramref name="pieces"/> of ten piece parameters (added after the template's
    /// own, then <paramref name="trailing"/>) in INTERSECT arms; the pieces a term has not stay unused, out of the SQL.
    /// </summary>
    private static Expression<TCompiled> WithSearch<TCompiled>(LambdaExpression template, int pieces, params ParameterExpression[] trailing)
        where TCompiled : Delegate
    {
        var (db, low, high, upper) = (template.Parameters[0], template.Parameters[1], template.Parameters[2], template.Parameters[3]);
        var pieceParameters = Enumerable.Range(0, MostPiecesCompiled).Select(i => Expression.Parameter(typeof(string), $"piece{i}")).ToList();
        var byName = Replace(PieceArm, db, pieceParameters[0]);
        for (var i = 1; i < pieces; i++)
        {
            byName = Expression.Call(IntersectOf, byName, Replace(PieceArm, db, pieceParameters[i]));
        }
        var ids = Replace(SearchIds, db, low, high, upper, byName);
        return Expression.Lambda<TCompiled>(
            new Replacer(new Dictionary<Expression, Expression> { [template.Parameters[^1]] = ids }).Visit(template.Body)!,
            template.Parameters.SkipLast(1).Concat(pieceParameters).Concat(trailing));
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
