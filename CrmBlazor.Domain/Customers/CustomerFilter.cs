namespace CrmBlazor.Domain.Customers;

public enum CustomerSort
{
    Number,
    Name,
    Industry,
    Size,
    Status,
    Tier,
    Owner,
    Region,
    LastContact,
    Updated,
    CustomField,
}

/// <summary>A filter on one custom field: text (contains / is one of the choices), number and date ranges, yes/no.</summary>
public sealed record CustomFieldFilter(Guid FieldId, string? Text = null, decimal? Min = null, decimal? Max = null, DateTime? From = null, DateTime? To = null, bool? YesNo = null);

/// <summary>
/// Everything the customer list can filter and sort on (SPEC B6). Saved views store it as JSON, so
/// members only ever get added.
/// </summary>
/// <summary>What the dashboard counts customers by (SPEC E3).</summary>
public enum CustomerDimension
{
    Tier,
    Industry,
    Region,
    Size,
    Status,
}

public sealed record CustomerFilter
{
    /// <summary>One box over number, name, contact name, mobile and e-mail.</summary>
    public string? Search { get; init; }

    public IReadOnlyList<string> Industries { get; init; } = [];
    public IReadOnlyList<string> Sizes { get; init; } = [];
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public IReadOnlyList<string> Tiers { get; init; } = [];
    public Guid? OwnerId { get; init; }
    public string? Province { get; init; }
    public string? City { get; init; }

    /// <summary>Customers carrying every one of these tags.</summary>
    public IReadOnlyList<Guid> TagIds { get; init; } = [];

    public DateTime? LastContactFrom { get; init; }
    public DateTime? LastContactTo { get; init; }
    public bool NeverContacted { get; init; }
    public IReadOnlyList<CustomFieldFilter> CustomFields { get; init; } = [];

    /// <summary>Whether anything besides the search box narrows the list (lists compared by count, not by reference).</summary>
    public bool NarrowsBeyondSearch =>
        Industries.Count > 0 || Sizes.Count > 0 || Statuses.Count > 0 || Tiers.Count > 0 || OwnerId is not null
        || !string.IsNullOrEmpty(Province) || !string.IsNullOrEmpty(City) || TagIds.Count > 0
        || LastContactFrom is not null || LastContactTo is not null || NeverContacted || CustomFields.Count > 0;

    public CustomerSort Sort { get; init; } = CustomerSort.Number;
    public bool Descending { get; init; }

    /// <summary>With <see cref="CustomerSort.CustomField"/>: which field.</summary>
    public Guid? SortFieldId { get; init; }
}
