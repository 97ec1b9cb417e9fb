namespace CrmBlazor.Domain.Customers;

/// <summary>
/// The number of a customer merged into another (SPEC H4): old links, printed contracts and workbooks
/// still name it, so it keeps resolving to the survivor.
/// </summary>
public sealed class CustomerAlias
{
    public required string Number { get; set; }
    public Guid CustomerId { get; set; }

    /// <summary>The merged customer's id, so its old 360 links lead to the survivor too.</summary>
    public Guid MergedId { get; set; }

    public required string MergedName { get; set; }
    public DateTime MergedAt { get; set; }
}
