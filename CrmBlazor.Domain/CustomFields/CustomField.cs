using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.CustomFields;

public enum CustomFieldType
{
    Text,
    Number,
    Date,
    SingleSelect,
    MultiSelect,
    YesNo,
}

/// <summary>A field Admin adds to customers (SPEC B5): on the form, the 360 page, the list and filters.</summary>
public sealed class CustomFieldDefinition : AuditableEntity
{
    public required string LabelZh { get; set; }
    public required string LabelEn { get; set; }
    public CustomFieldType Type { get; set; }

    /// <summary>The choices of a select field, one per line.</summary>
    public string Options { get; set; } = "";

    public bool IsRequired { get; set; }
    public int Order { get; set; }
    public bool IsActive { get; set; } = true;

    public IReadOnlyList<string> OptionList => Options.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    public string Label(bool chinese) => chinese ? LabelZh : LabelEn;
}

/// <summary>
/// A customer's value of one custom field, in the typed column that fits it, so lists can filter and
/// sort on it with an index on every provider. Multi-select values are stored as <c>|a|b|</c>.
/// </summary>
public sealed class CustomFieldValue : IAudited
{
    public Guid CustomerId { get; set; }
    public Guid FieldId { get; set; }
    public string? Text { get; set; }
    public decimal? Number { get; set; }
    public DateTime? Date { get; set; }
    public bool? YesNo { get; set; }
}
