using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>Where a quote is: a draft is edited, then sent to the customer, who accepts or rejects it.</summary>
public enum QuoteStatus
{
    Draft,
    Sent,
    Accepted,
    Rejected,
}

/// <summary>
/// A quote (报价, SPEC F3) for an opportunity. The revisions of one opportunity share a number QT{yyyy}{nnnn} and count
/// v1, v2 …; a new revision starts from the lines of the latest. Only a draft changes; an accepted quote is final for its
/// opportunity and became an order. <see cref="TotalFen"/> is the sum of the line totals, kept with them.
/// </summary>
public sealed class Quote : AuditableEntity
{
    public required string Number { get; set; }
    public int Revision { get; set; }
    public Guid OpportunityId { get; set; }
    public QuoteStatus Status { get; set; }
    public DateOnly ValidUntil { get; set; }

    /// <summary>In fen: the sum of the lines' <see cref="QuoteLine.LineTotalFen"/>.</summary>
    public long TotalFen { get; set; }

    public DateTime? SentAt { get; set; }

    /// <summary>When it was accepted or rejected.</summary>
    public DateTime? DecidedAt { get; set; }

    public List<QuoteLine> Lines { get; set; } = [];

    /// <summary>"QT20300001-v2": the number the customer quotes back.</summary>
    public string DisplayNumber => QuotePricing.DisplayNumber(Number, Revision);
}

/// <summary>
/// One line of a quote: a product at a quantity, a unit price (the list price unless changed) and a discount. The
/// product's code, name and unit are copied in, so a quote reads as it was sent when the catalogue changes later.
/// </summary>
public sealed class QuoteLine : Entity
{
    public Guid QuoteId { get; set; }

    /// <summary>1, 2 …: the order on the page and in the workbook.</summary>
    public int Position { get; set; }

    public Guid ProductId { get; set; }
    public required string ProductCode { get; set; }
    public required string ProductName { get; set; }
    public required string Unit { get; set; }
    public decimal Quantity { get; set; }
    public long UnitPriceFen { get; set; }

    /// <summary>0–100, two decimals.</summary>
    public decimal DiscountPercent { get; set; }

    /// <summary><see cref="QuotePricing.LineTotalFen"/> of the three above.</summary>
    public long LineTotalFen { get; set; }
}

/// <summary>The arithmetic of quote and order lines, in one place so the page, the workbook and the order agree.</summary>
public static class QuotePricing
{
    /// <summary>
    /// Quantity × unit price × (100 − discount) / 100, computed exactly in decimal and rounded once to whole fen, half
    /// away from zero (0.5 fen → 1 fen). Each line is rounded on its own and the quote's total is the sum of the rounded
    /// lines, so the printed lines always add up to the printed total.
    /// </summary>
    public static long LineTotalFen(decimal quantity, long unitPriceFen, decimal discountPercent) =>
        (long)Math.Round(quantity * unitPriceFen * (100m - discountPercent) / 100m, MidpointRounding.AwayFromZero);

    public static string DisplayNumber(string number, int revision) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{number}-v{revision}");
}
