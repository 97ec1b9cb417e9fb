using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Customers;

/// <summary>A user's named set of list filters and sort (SPEC B6 "saved views per user").</summary>
public sealed class SavedView : Entity
{
    public Guid UserId { get; set; }
    public required string Name { get; set; }

    /// <summary>The <see cref="CustomerFilter"/> as JSON.</summary>
    public required string FilterJson { get; set; }

    public DateTime CreatedAt { get; set; }
}
