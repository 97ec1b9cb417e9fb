using System.Collections.Concurrent;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CrmBlazor.Domain.Customers;

public sealed record TagChip(Guid Id, string Name, string Color);

public sealed record CustomerListItem(
    Guid Id, string Number, string Name, string? Industry, string? Size, string Status, string? Tier,
    string? OwnerName, string? Province, string? City, DateTime? LastContactAt, DateTime UpdatedAt,
    string? KeyContact, string? KeyMobile)
{
    public IReadOnlyList<TagChip> Tags { get; init; } = [];
    public IReadOnlyDictionary<Guid, CustomFieldValue> CustomValues { get; init; } = new Dictionary<Guid, CustomFieldValue>();
}

/// <summary>Everything the 360 page shows, loaded in one call within the caller's scope.</summary>
public sealed record CustomerExportRow(Customer Customer, string? OwnerName, Contact? KeyContact, IReadOnlyList<CustomFieldValue> CustomValues);

public sealed record CustomerProfile(Customer Customer, IReadOnlyList<TimelineEntry> Timeline, bool CanEdit);

/// <summary>Reads customers within the caller's record scope: list, search, counts, profile (SPEC B6, B7, A3).</summary>
public sealed class CustomerQueries(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    IEnumerable<ITimelineSource> timelineSources)
{
    public async Task<PagedResult<CustomerListItem>> ListAsync(CustomerFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        pageSize = Math.Clamp(pageSize, 1, 500);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // One connection (on SQLite an open costs more than a small page query, see "Benchmarks" in the README) and short
        // statements, as a hand-written list makes them: the page with each customer's key contact and whether it has tags
        // or custom values; the tags of those that have some, and their custom values, by id; the count, when the page does
        // not tell it (a full page, or one past the end). One statement joining the tags and values to the page cost more:
        // SQLite prepares it anew on every call, and it sorted the page's rows times their tags times their values (issue 18).
        await using var open = await db.Database.KeepOpenAsync(cancellationToken);
        var skip = Math.Max(page, 0) * pageSize;
        var rows = await CustomerListStatements.CompiledPageAsync(db, filter, currentUser, skip, pageSize, cancellationToken)
            ?? await Sorted(Filtered(db, filter), filter).Skip(skip).TakeWritten(pageSize).Select(CustomerListStatements.PageRowOf).ToListAsync(cancellationToken);
        var tags = await CustomerListStatements.TagsAsync(db, rows.Where(r => r.HasTags).Select(r => r.Item.Id).ToList(), cancellationToken);
        var values = await CustomerListStatements.ValuesAsync(db, rows.Where(r => r.HasValues).Select(r => r.Item.Id).ToList(), cancellationToken);
        var total = (rows.Count > 0 && rows.Count < pageSize) || (rows.Count == 0 && skip == 0)
            ? skip + rows.Count
            : await (CustomerListStatements.CompiledCountAsync(db, filter, currentUser, cancellationToken) ?? Filtered(db, filter).CountAsync(cancellationToken));
        var items = rows.Select(r => r.Item with
        {
            Tags = tags[r.Item.Id].OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Id).ToList(),
            CustomValues = values[r.Item.Id].ToDictionary(v => v.FieldId),
        }).ToList();
        return new PagedResult<CustomerListItem>(items, total);
    }

    /// <summary>How many customers match, within scope: the dashboard and the list agree on this.</summary>
    public async Task<int> CountAsync(CustomerFilter filter, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Filtered(db, filter).CountAsync(cancellationToken);
    }

    /// <summary>How many matching customers per value of <paramref name="dimension"/> (within scope): the dashboard's distributions, equal to the list's counts.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountByAsync(CustomerFilter filter, CustomerDimension dimension, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = Filtered(db, filter);
        var keys = dimension switch
        {
            CustomerDimension.Tier => customers.Select(c => c.Tier),
            CustomerDimension.Industry => customers.Select(c => c.Industry),
            CustomerDimension.Region => customers.Select(c => c.Province),
            CustomerDimension.Size => customers.Select(c => c.Size),
            _ => customers.Select(c => (string?)c.Status),
        };
        var counts = await keys.GroupBy(k => k).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return counts.ToDictionary(c => c.Key ?? "", c => c.Count);
    }

    /// <summary>
    /// Every customer matching a filter, within scope, in number order, read <paramref name="batch"/> at a
    /// time by number (keyset), with its key contact and custom values: what an export streams.
    /// </summary>
    public async IAsyncEnumerable<CustomerExportRow> StreamAsync(CustomerFilter filter, int batch = 1000,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Export);
        var after = "";
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var last = after;
            var page = await Filtered(db, filter).Where(c => string.Compare(c.Number, last) > 0).OrderBy(c => c.Number).Take(batch)
                .Select(c => new { Customer = c, OwnerName = c.Owner!.DisplayName })
                .ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                yield break;
            }
            // The page's key contacts and custom values by id, each one indexed query for the whole page.
            var ids = page.Select(p => p.Customer.Id).ToList();
            var keys = (await db.Contacts.AsNoTracking().Where(k => ids.Contains(k.CustomerId) && k.IsKey && !k.HasLeft).ToListAsync(cancellationToken))
                .GroupBy(k => k.CustomerId).ToDictionary(g => g.Key, g => g.OrderBy(k => k.Name, StringComparer.Ordinal).First());
            var values = (await db.CustomFieldValues.AsNoTracking().Where(v => ids.Contains(v.CustomerId)).ToListAsync(cancellationToken)).ToLookup(v => v.CustomerId);
            foreach (var row in page)
            {
                yield return new CustomerExportRow(row.Customer, row.OwnerName, keys.GetValueOrDefault(row.Customer.Id), values[row.Customer.Id].ToList());
            }
            after = page[^1].Customer.Number;
        }
    }

    /// <summary>The ids matching a filter (bulk tagging "all matching"), capped.</summary>
    public async Task<IReadOnlyList<Guid>> IdsAsync(CustomerFilter filter, int max, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Sorted(Filtered(db, filter), filter).Select(c => c.Id).Take(max).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The customer a number names, or — for a customer merged into another (SPEC H4) — the survivor; null when
    /// there is none. The caller still meets the record scope when it opens the customer.
    /// </summary>
    public async Task<Guid?> ResolveNumberAsync(string number, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        var trimmed = number.Trim();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Customers.Where(c => c.Number == trimmed).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken)
            ?? await db.CustomerAliases.Where(a => a.Number == trimmed).Select(a => (Guid?)a.CustomerId).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The survivor a merged customer's id now leads to (old links, notifications), if it was merged.</summary>
    public async Task<Guid?> MergedIntoAsync(Guid mergedId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CustomerAliases.Where(a => a.MergedId == mergedId).Select(a => (Guid?)a.CustomerId).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<CustomerProfile> GetProfileAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.Customers.AsNoTracking().AsSplitQuery().VisibleTo(currentUser)
            .Include(c => c.Owner).ThenInclude(o => o!.Memberships).ThenInclude(m => m.Team)
            .Include(c => c.Contacts)
            .Include(c => c.Tags).ThenInclude(t => t.Tag)
            .Include(c => c.CustomValues)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (customer is null)
        {
            throw await RecordScope.RefusalAsync(db.Customers, id, cancellationToken);
        }

        var timeline = new List<TimelineEntry>();
        foreach (var source in timelineSources)
        {
            timeline.AddRange(await source.ReadAsync(db, customer, cancellationToken));
        }
        return new CustomerProfile(customer, timeline.OrderByDescending(e => e.At).ToList(),
            permissions.IsAllowed(currentUser, Module.Customers, Operation.Edit));
    }

    private sealed record DetailsRow(CustomerDetails Details, List<ContactDetails> Contacts);

    private sealed record DetailsQueries(
        Func<CrmDbContext, Guid, CancellationToken, Task<DetailsRow?>> OfAnyone,
        Func<CrmDbContext, Guid, Guid, bool, CancellationToken, Task<DetailsRow?>> WithinScope);

    // The API's GET by id runs this at thousands a second: compiled once per model (each provider has its own), one statement
    // for the customer and its contacts, since translating the LINQ on every call cost more than running it. Two shapes, as
    // RecordScope.VisibleTo has: no condition for those who see everyone, otherwise its rule written with the caller as
    // parameters (RecordScope.AsParameters); SQLite prepares each statement anew, and the shorter one costs less.
    private static readonly ConcurrentDictionary<IModel, DetailsQueries> CompiledDetails = new();

    private static DetailsQueries DetailsQueriesOf(IModel model) => CompiledDetails.GetOrAdd(model, _ => new DetailsQueries(
        EF.CompileAsyncQuery((CrmDbContext db, Guid id, CancellationToken _) =>
            db.Customers.AsNoTracking().Where(c => c.Id == id).Select(DetailsOf).SingleOrDefault()),
        EF.CompileAsyncQuery((CrmDbContext db, Guid id, Guid userId, bool supervises, CancellationToken _) =>
            db.Customers.AsNoTracking().Where(c => c.Id == id && (c.OwnerId == userId
                || (supervises && c.Owner!.Memberships.Any(m => m.Team!.Members.Any(s => s.UserId == userId && s.IsSupervisor)))))
            .Select(DetailsOf).SingleOrDefault())));

    private static readonly System.Linq.Expressions.Expression<Func<Customer, DetailsRow>> DetailsOf = c => new DetailsRow(
        new CustomerDetails(c.Id, c.Number, c.Name, c.Industry, c.Size, c.Status, c.Tier, c.Province, c.City, c.District, c.Street,
            c.Website, c.CooperationHistory, c.Notes, c.OwnerId, c.Owner!.DisplayName, c.LastContactAt, c.CreatedAt, c.UpdatedAt, c.Version),
        c.Contacts.OrderByDescending(k => k.IsKey).ThenBy(k => k.Name).ThenBy(k => k.Id)
            .Select(k => new ContactDetails(k.Id, k.Name, k.Title, k.Mobile, k.Landline, k.Email, k.IsKey, k.HasLeft, k.Version))
            .ToList());

    /// <summary>One customer's fields, contacts and version, within scope; the refusal every feature gives otherwise.</summary>
    public async Task<CustomerDetails> GetDetailsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var queries = DetailsQueriesOf(db.Model);
        var (seesEveryone, userId, supervises) = RecordScope.AsParameters(currentUser);
        var found = await (seesEveryone ? queries.OfAnyone(db, id, cancellationToken) : queries.WithinScope(db, id, userId, supervises, cancellationToken))
            ?? throw await RecordScope.RefusalAsync(db.Customers, id, cancellationToken);
        return found.Details with { Contacts = found.Contacts };
    }

    private IQueryable<Customer> Filtered(CrmDbContext db, CustomerFilter f)
    {
        var q = db.Customers.AsNoTracking().VisibleTo(currentUser);
        if (!string.IsNullOrWhiteSpace(f.Search))
        {
            q = CustomerSearch.Matching(db, q, f.Search);
        }
        if (f.Industries is [var industry])
        {
            q = q.Where(c => c.Industry == industry); // one value: a statement EF keeps, where a list has it write the SQL anew each call
        }
        else if (f.Industries.Count > 0)
        {
            q = q.Where(c => f.Industries.Contains(c.Industry!));
        }
        if (f.Sizes is [var size])
        {
            q = q.Where(c => c.Size == size); // one value: a statement EF keeps, where a list has it write the SQL anew each call
        }
        else if (f.Sizes.Count > 0)
        {
            q = q.Where(c => f.Sizes.Contains(c.Size!));
        }
        if (f.Statuses is [var status])
        {
            q = q.Where(c => c.Status == status); // one value: a statement EF keeps, where a list has it write the SQL anew each call
        }
        else if (f.Statuses.Count > 0)
        {
            q = q.Where(c => f.Statuses.Contains(c.Status));
        }
        if (f.Tiers is [var tier])
        {
            q = q.Where(c => c.Tier == tier); // one value: a statement EF keeps, where a list has it write the SQL anew each call
        }
        else if (f.Tiers.Count > 0)
        {
            q = q.Where(c => f.Tiers.Contains(c.Tier!));
        }
        if (f.OwnerId is { } owner)
        {
            q = q.Where(c => c.OwnerId == owner);
        }
        if (!string.IsNullOrWhiteSpace(f.Province))
        {
            q = q.Where(c => c.Province == f.Province);
        }
        if (!string.IsNullOrWhiteSpace(f.City))
        {
            q = q.Where(c => c.City == f.City);
        }
        foreach (var tagId in f.TagIds)
        {
            q = q.Where(c => c.Tags.Any(t => t.TagId == tagId));
        }
        if (f.NeverContacted)
        {
            q = q.Where(c => c.LastContactAt == null);
        }
        if (f.LastContactFrom is { } from)
        {
            q = q.Where(c => c.LastContactAt >= from);
        }
        if (f.LastContactTo is { } to)
        {
            q = q.Where(c => c.LastContactAt < to);
        }
        foreach (var cf in f.CustomFields)
        {
            q = WithCustomField(q, cf);
        }
        return q;
    }

    private static IQueryable<Customer> WithCustomField(IQueryable<Customer> q, CustomFieldFilter cf)
    {
        var id = cf.FieldId;
        if (!string.IsNullOrWhiteSpace(cf.Text))
        {
            // Text contains the term; a select's stored "|a|b|" contains "|choice|" exactly.
            var text = cf.Text.Trim();
            var choice = "|" + text + "|";
            q = q.Where(c => c.CustomValues.Any(v => v.FieldId == id && (v.Text!.Contains(text) || v.Text == text || v.Text.Contains(choice))));
        }
        if (cf.Min is { } min)
        {
            q = q.Where(c => c.CustomValues.Any(v => v.FieldId == id && v.Number >= min));
        }
        if (cf.Max is { } max)
        {
            q = q.Where(c => c.CustomValues.Any(v => v.FieldId == id && v.Number <= max));
        }
        if (cf.From is { } from)
        {
            q = q.Where(c => c.CustomValues.Any(v => v.FieldId == id && v.Date >= from));
        }
        if (cf.To is { } to)
        {
            q = q.Where(c => c.CustomValues.Any(v => v.FieldId == id && v.Date <= to));
        }
        if (cf.YesNo is { } yes)
        {
            q = q.Where(c => c.CustomValues.Any(v => v.FieldId == id && v.YesNo == yes));
        }
        return q;
    }

    /// <summary>The chosen order, then Id, so that paging is stable.</summary>
    internal static IQueryable<Customer> Sorted(IQueryable<Customer> q, CustomerFilter f)
    {
        var d = f.Descending;
        IOrderedQueryable<Customer> ordered = f.Sort switch
        {
            CustomerSort.Name => d ? q.OrderByDescending(c => c.Name) : q.OrderBy(c => c.Name),
            CustomerSort.Industry => d ? q.OrderByDescending(c => c.Industry) : q.OrderBy(c => c.Industry),
            CustomerSort.Size => d ? q.OrderByDescending(c => c.Size) : q.OrderBy(c => c.Size),
            CustomerSort.Status => d ? q.OrderByDescending(c => c.Status) : q.OrderBy(c => c.Status),
            CustomerSort.Tier => d ? q.OrderByDescending(c => c.Tier) : q.OrderBy(c => c.Tier),
            CustomerSort.Owner => d ? q.OrderByDescending(c => c.Owner!.DisplayName) : q.OrderBy(c => c.Owner!.DisplayName),
            CustomerSort.Region => d ? q.OrderByDescending(c => c.Province).ThenByDescending(c => c.City) : q.OrderBy(c => c.Province).ThenBy(c => c.City),
            CustomerSort.LastContact => d ? q.OrderByDescending(c => c.LastContactAt) : q.OrderBy(c => c.LastContactAt),
            CustomerSort.Updated => d ? q.OrderByDescending(c => c.UpdatedAt) : q.OrderBy(c => c.UpdatedAt),
            CustomerSort.CustomField when f.SortFieldId is { } fieldId => SortByCustomField(q, fieldId, d),
            // Numerically (CRM20261000 after CRM2026999) through the indexed sort key.
            _ => d ? q.OrderByDescending(c => c.NumberOrder) : q.OrderBy(c => c.NumberOrder),
        };
        return ordered.ThenBy(c => c.Id);
    }

    private static IOrderedQueryable<Customer> SortByCustomField(IQueryable<Customer> q, Guid fieldId, bool descending)
    {
        // Sorts on whichever typed column the field uses; the others are null for it.
        var ordered = descending
            ? q.OrderByDescending(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.Number).FirstOrDefault())
            : q.OrderBy(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.Number).FirstOrDefault());
        ordered = descending
            ? ordered.ThenByDescending(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.Date).FirstOrDefault())
            : ordered.ThenBy(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.Date).FirstOrDefault());
        ordered = descending
            ? ordered.ThenByDescending(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.YesNo).FirstOrDefault())
            : ordered.ThenBy(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.YesNo).FirstOrDefault());
        return descending
            ? ordered.ThenByDescending(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.Text).FirstOrDefault())
            : ordered.ThenBy(c => c.CustomValues.Where(v => v.FieldId == fieldId).Select(v => v.Text).FirstOrDefault());
    }
}
