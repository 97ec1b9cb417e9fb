using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Tags;

namespace CrmBlazor.Domain.Customers;

/// <summary>A customer of the company (SPEC B1): the 客户档案 record.</summary>
public sealed class Customer : AuditableEntity
{
    private string _number = "";

    /// <summary><c>CRM{yyyy}{nnn}</c>, from <see cref="CustomerNumbers"/>; setting it sets <see cref="NumberOrder"/>.</summary>
    public required string Number
    {
        get => _number;
        set
        {
            _number = value;
            NumberOrder = CustomerNumbers.OrderOf(value);
        }
    }

    /// <summary>The number's numeric sort key (<see cref="CustomerNumbers.OrderOf"/>): the list sorts "by number" on it.</summary>
    public long NumberOrder { get; private set; } = CustomerNumbers.Unordered;

    /// <summary>
    /// The customer's number in the system or sheet it came from (issue 17: "C001" of a team's spreadsheet), kept so that
    /// importing that sheet again updates the customer instead of adding it twice; unique when set.
    /// </summary>
    public string? ExternalCode { get; set; }

    /// <summary>The full registered legal name.</summary>
    public required string Name { get; set; }

    /// <summary>Dictionary codes (<see cref="Dictionaries.DictionaryKind"/>).</summary>
    public string? Industry { get; set; }
    public string? Size { get; set; }
    public string Status { get; set; } = CustomerStatuses.New;

    public string? Province { get; set; }
    public string? City { get; set; }
    public string? District { get; set; }
    public string? Street { get; set; }

    public string? Website { get; set; }
    public string? CooperationHistory { get; set; }
    public string? Notes { get; set; }

    /// <summary>S / A / B / C; computed by tiering (SPEC E1), or the override while one is set.</summary>
    public string? Tier { get; set; }

    /// <summary>A supervisor's manual tier (SPEC E1); evaluation keeps it until it is cleared.</summary>
    public string? TierOverride { get; set; }

    public string? TierOverrideReason { get; set; }

    /// <summary>
    /// When the last "not contacted" reminder was due (the reminder job's bookkeeping, so each pass reads only
    /// customers with a reminder to send); not user data, never edited.
    /// </summary>
    public DateTime? NotContactedRemindedAt { get; set; }

    /// <summary>When someone last logged an interaction; the list filters on it.</summary>
    public DateTime? LastContactAt { get; set; }

    public Guid? OwnerId { get; set; }
    public AppUser? Owner { get; set; }

    /// <summary>
    /// The data-quality problems of this customer and its contacts (SPEC H5, issue 18), recomputed in the database by
    /// <see cref="DataQuality.CustomerQuality"/> whenever either is written; null until first computed. Staleness is not
    /// stored: it depends on the day.
    /// </summary>
    public DataQuality.QualityProblems? QualityProblems { get; set; }

    public List<Contact> Contacts { get; set; } = [];
    public List<CustomerTag> Tags { get; set; } = [];
    public List<CustomFields.CustomFieldValue> CustomValues { get; set; } = [];
}

/// <summary>A person at the customer (SPEC B2). One who leaves is marked left, never deleted.</summary>
public sealed class Contact : AuditableEntity
{
    private string? _mobile;

    public Guid CustomerId { get; set; }
    public required string Name { get; set; }
    public string? Title { get; set; }

    /// <summary>Setting it checks it once (<see cref="MobileInvalid"/>), so data quality counts bad phones without parsing them.</summary>
    public string? Mobile
    {
        get => _mobile;
        set
        {
            _mobile = value;
            MobileInvalid = value is not null && !ContactRules.IsValidMobile(value);
        }
    }

    /// <summary>Whether <see cref="Mobile"/> does not parse as a mobile number (legacy data, issue 18); set with it.</summary>
    public bool MobileInvalid { get; private set; }

    public string? Landline { get; set; }
    public string? Email { get; set; }
    public bool IsKey { get; set; }
    public bool HasLeft { get; set; }
}

/// <summary>One step of the lifecycle (SPEC B3), with the reason the user gave; shown on the timeline.</summary>
public sealed class CustomerStatusChange : Entity
{
    public Guid CustomerId { get; set; }
    public required string FromStatus { get; set; }
    public required string ToStatus { get; set; }
    public required string Reason { get; set; }
    public DateTime At { get; set; }
    public Guid? ById { get; set; }
    public required string ByName { get; set; }
}

/// <summary>The seeded status codes; the lifecycle itself is the CustomerStatus dictionary.</summary>
public static class CustomerStatuses
{
    public const string New = "new";
    public const string Cooperating = "cooperating";
    public const string Active = "active";
    public const string Silent = "silent";
    public const string Lost = "lost";
}
