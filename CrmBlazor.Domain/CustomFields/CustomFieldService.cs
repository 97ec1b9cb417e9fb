using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.CustomFields;

public sealed record CustomFieldInput(string LabelZh, string LabelEn, CustomFieldType Type, IReadOnlyList<string> Options, bool IsRequired, int Order);

/// <summary>Custom fields on customers (SPEC B5): everyone reads the definitions; Admin changes them.</summary>
public sealed class CustomFieldService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public async Task<IReadOnlyList<CustomFieldDefinition>> ListAsync(bool includeInactive = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CustomFields.AsNoTracking().Where(f => includeInactive || f.IsActive)
            .OrderBy(f => f.Order).ThenBy(f => f.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<CustomFieldDefinition> CreateAsync(CustomFieldInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        Validate(input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var field = new CustomFieldDefinition { LabelZh = "", LabelEn = "" };
        Apply(field, input);
        db.CustomFields.Add(field);
        await db.SaveChangesAsync(cancellationToken);
        return field;
    }

    /// <summary>Changes a field; its type stays, because stored values are typed.</summary>
    public async Task<CustomFieldDefinition> UpdateAsync(Guid id, int version, CustomFieldInput input, bool isActive, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        Validate(input);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var field = await db.CustomFields.SingleOrDefaultAsync(f => f.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(CustomFieldDefinition), id);
        db.ExpectVersion(field, version);
        Apply(field, input with { Type = field.Type });
        field.IsActive = isActive;
        await db.SaveOrConflictAsync(field, cancellationToken);
        return field;
    }

    private static void Apply(CustomFieldDefinition field, CustomFieldInput input)
    {
        field.LabelZh = input.LabelZh.Trim();
        field.LabelEn = input.LabelEn.Trim();
        field.Type = input.Type;
        field.Options = string.Join('\n', input.Options.Select(o => o.Trim()).Where(o => o.Length > 0).Distinct());
        field.IsRequired = input.IsRequired;
        field.Order = input.Order;
    }

    private static void Validate(CustomFieldInput input)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(input.LabelZh) || string.IsNullOrWhiteSpace(input.LabelEn))
        {
            errors.Add(new ValidationError(nameof(CustomFieldDefinition.LabelZh), "Validation.LabelsRequired", "Both the Chinese and the English label are required."));
        }
        var isSelect = input.Type is CustomFieldType.SingleSelect or CustomFieldType.MultiSelect;
        if (isSelect && !input.Options.Any(o => !string.IsNullOrWhiteSpace(o)))
        {
            errors.Add(new ValidationError(nameof(CustomFieldDefinition.Options), "Validation.OptionsRequired", "A select field needs at least one choice."));
        }
        if (input.Options.Any(o => o.Contains('|', StringComparison.Ordinal)))
        {
            errors.Add(new ValidationError(nameof(CustomFieldDefinition.Options), "Validation.OptionBar", "A choice cannot contain the character |."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
