using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Dictionaries;

public sealed record DictionaryItemInput(string Code, string LabelZh, string LabelEn, int Order);

/// <summary>One item of a dictionary as a reader sees it: the code records store, both labels, whether new entries may choose it.</summary>
public sealed record DictionaryEntry(string Code, string LabelZh, string LabelEn, bool IsActive, int Order);

/// <summary>Reads dictionaries for everyone; changes them for Admin (Administration.Configure).</summary>
public sealed class DictionaryService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    /// <summary>The items of one kind in order; inactive ones too when labelling existing records.</summary>
    public async Task<IReadOnlyList<DictionaryItem>> ListAsync(DictionaryKind kind, bool includeInactive = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Ordered(db, kind, includeInactive).ToListAsync(cancellationToken);
    }

    /// <summary>Every item of one kind in order, inactive ones too (they still label old records).</summary>
    public async Task<IReadOnlyList<DictionaryEntry>> EntriesAsync(DictionaryKind kind, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Ordered(db, kind, includeInactive: true)
            .Select(d => new DictionaryEntry(d.Code, d.LabelZh, d.LabelEn, d.IsActive, d.Order))
            .ToListAsync(cancellationToken);
    }

    public async Task<DictionaryItem> CreateAsync(DictionaryKind kind, DictionaryItemInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        Validate(input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var code = input.Code.Trim();
        if (await db.DictionaryItems.AnyAsync(d => d.Kind == kind && d.Code == code, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(DictionaryItem.Code), "Validation.DictionaryCodeTaken", $"The code {code} is already used in {kind}.")]);
        }
        var item = new DictionaryItem { Kind = kind, Code = code, LabelZh = input.LabelZh.Trim(), LabelEn = input.LabelEn.Trim(), Order = input.Order };
        db.DictionaryItems.Add(item);
        await db.SaveChangesAsync(cancellationToken);
        return item;
    }

    /// <summary>Changes labels, order and the active flag; the code stays, because records store it.</summary>
    public async Task<DictionaryItem> UpdateAsync(Guid id, int version, DictionaryItemInput input, bool isActive, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        Validate(input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.DictionaryItems.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(DictionaryItem), id);
        db.ExpectVersion(item, version);
        item.LabelZh = input.LabelZh.Trim();
        item.LabelEn = input.LabelEn.Trim();
        item.Order = input.Order;
        item.IsActive = isActive;
        await db.SaveOrConflictAsync(item, cancellationToken);
        return item;
    }

    /// <summary>Deletes an unused item; one that records use must be deactivated instead.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var item = await db.DictionaryItems.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(DictionaryItem), id);
        if (await DictionaryUsage.IsInUseAsync(db, item, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(DictionaryItem.Code), "Validation.DictionaryItemInUse",
                $"{item.LabelEn} is used by records: deactivate it instead.")]);
        }
        db.DictionaryItems.Remove(item);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static IQueryable<DictionaryItem> Ordered(CrmDbContext db, DictionaryKind kind, bool includeInactive) =>
        db.DictionaryItems.AsNoTracking().Where(d => d.Kind == kind && (includeInactive || d.IsActive)).OrderBy(d => d.Order).ThenBy(d => d.Code);

    private static void Validate(DictionaryItemInput input)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(input.Code))
        {
            errors.Add(new ValidationError(nameof(DictionaryItem.Code), "Validation.Required", "The code is required."));
        }
        if (string.IsNullOrWhiteSpace(input.LabelZh) || string.IsNullOrWhiteSpace(input.LabelEn))
        {
            errors.Add(new ValidationError(nameof(DictionaryItem.LabelZh), "Validation.LabelsRequired", "Both the Chinese and the English label are required."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
