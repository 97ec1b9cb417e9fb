using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// A product or service of the catalogue (SPEC F3): what a quote line offers. Its code is unique; its list price (in fen)
/// is the default unit price of a new quote line. An inactive product stays on the quotes and orders that have it but is
/// not offered for new lines.
/// </summary>
public sealed class Product : AuditableEntity
{
    public required string Code { get; set; }
    public required string Name { get; set; }

    /// <summary>The unit a quantity counts (套, 台, 人天 …), free text.</summary>
    public required string Unit { get; set; }

    /// <summary>In fen (1/100 yuan).</summary>
    public long ListPriceFen { get; set; }

    public bool IsActive { get; set; } = true;
}
