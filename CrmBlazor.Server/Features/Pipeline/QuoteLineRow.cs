using CrmBlazor.Domain.Pipeline;

namespace CrmBlazor.Server.Features.Pipeline;

/// <summary>One line of a draft as the editor holds it; the unit price in yuan as typed.</summary>
public sealed class QuoteLineRow
{
    public Guid? ProductId { get; set; }
    public decimal Quantity { get; set; } = 1m;
    public decimal? UnitPrice { get; set; }
    public decimal Discount { get; set; }

    /// <summary>The line's total as the Domain will compute it (<see cref="QuotePricing"/>), shown while typing.</summary>
    public long TotalFen => QuotePricing.LineTotalFen(Quantity, PipelineTexts.ToFen(UnitPrice) ?? 0, Discount);

    public static QuoteLineRow From(QuoteLineView line) =>
        new() { ProductId = line.ProductId, Quantity = line.Quantity, UnitPrice = line.UnitPriceFen / 100m, Discount = line.DiscountPercent };

    public QuoteLineInput ToInput() => new(ProductId ?? Guid.Empty, Quantity, PipelineTexts.ToFen(UnitPrice), Discount);
}
