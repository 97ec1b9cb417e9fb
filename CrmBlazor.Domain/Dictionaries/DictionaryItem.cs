using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Dictionaries;

/// <summary>The lists Admin maintains (SPEC B4). Records store an item's <see cref="DictionaryItem.Code"/>.</summary>
public enum DictionaryKind
{
    Industry,
    CompanySize,
    CustomerStatus,
    InteractionType,
    DemandType,
    TicketCategory,
    LeadSource,
    Region,
    LostReason,
}

/// <summary>
/// One choice in a dictionary, labelled in both languages. An item that records use is deactivated,
/// never deleted: it leaves the choices for new entries but still labels old records.
/// </summary>
public sealed class DictionaryItem : AuditableEntity
{
    public DictionaryKind Kind { get; set; }

    /// <summary>Stable code stored on records (e.g. <c>manufacturing</c>); labels may change, codes do not.</summary>
    public required string Code { get; set; }

    public required string LabelZh { get; set; }
    public required string LabelEn { get; set; }
    public int Order { get; set; }
    public bool IsActive { get; set; } = true;

    public string Label(bool chinese) => chinese ? LabelZh : LabelEn;
}
