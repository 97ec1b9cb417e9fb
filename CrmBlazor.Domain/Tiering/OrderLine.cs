using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tiering;

/// <summary>
/// One product line of an order (SPEC F3), copied from the accepted quote's line: the order keeps what was signed even if
/// the quote's opportunity is later deleted or merged, and an order entered by hand can have lines of its own later.
/// </summary>
public sealed class OrderLine : Entity
{
    public Guid OrderId { get; set; }
    public int Position { get; set; }

    /// <summary>The catalogue product (a reference only: the code, name and unit below are what was signed).</summary>
    public Guid? ProductId { get; set; }

    public required string ProductCode { get; set; }
    public required string ProductName { get; set; }
    public required string Unit { get; set; }
    public decimal Quantity { get; set; }
    public long UnitPriceFen { get; set; }
    public decimal DiscountPercent { get; set; }
    public long LineTotalFen { get; set; }
}
