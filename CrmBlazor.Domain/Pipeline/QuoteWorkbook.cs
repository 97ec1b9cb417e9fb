using System.Globalization;
using CrmBlazor.Domain.Importing;
using MiniExcelLibs;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>The workbook's words in the reader's language, given by the host (Domain holds no UI text).</summary>
public sealed record QuoteWorkbookLabels(
    string Sheet, string Quote, string Customer, string Opportunity, string Status, string ValidUntil,
    string Position, string Code, string Product, string Unit, string Quantity, string UnitPrice, string Discount, string LineTotal, string Total);

/// <summary>
/// A quote as a workbook for the customer (SPEC F3): a heading block (quote, customer, opportunity, status, valid until),
/// then the lines and the total. Amounts are yuan as numbers, so the customer's spreadsheet can sum them; every text
/// cell goes through <see cref="ExcelText.Neutralize"/>, so a product named "=…" never becomes a formula.
/// </summary>
public static class QuoteWorkbook
{
    private static readonly string[] Columns = ["A", "B", "C", "D", "E", "F", "G", "H"];

    public static async Task WriteAsync(Stream stream, QuoteView quote, QuoteWorkbookLabels labels, string status, CancellationToken cancellationToken = default)
    {
        var rows = new List<Dictionary<string, object?>>
        {
            Row(labels.Quote, quote.DisplayNumber),
            Row(labels.Customer, $"{quote.CustomerName} ({quote.CustomerNumber})"),
            Row(labels.Opportunity, $"{quote.OpportunityNumber} {quote.OpportunityName}"),
            Row(labels.Status, status),
            Row(labels.ValidUntil, quote.ValidUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            Row(),
            Row(labels.Position, labels.Code, labels.Product, labels.Unit, labels.Quantity, labels.UnitPrice, labels.Discount, labels.LineTotal),
        };
        rows.AddRange(quote.Lines.Select(l => Row(l.Position, l.ProductCode, l.ProductName, l.Unit, l.Quantity, Yuan(l.UnitPriceFen), l.DiscountPercent, Yuan(l.LineTotalFen))));
        rows.Add(Row(null, null, null, null, null, null, labels.Total, Yuan(quote.TotalFen)));
        await stream.SaveAsAsync(rows, printHeader: false, sheetName: SheetName(labels.Sheet), cancellationToken: cancellationToken);
    }

    /// <summary>Whole fen as yuan: exact in decimal, two places.</summary>
    public static decimal Yuan(long fen) => fen / 100m;

    private static Dictionary<string, object?> Row(params object?[] cells) =>
        Columns.Select((column, i) => (column, value: i < cells.Length ? ExcelText.NeutralizeCell(cells[i]) : null)).ToDictionary(c => c.column, c => c.value);

    /// <summary>Excel's sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string(name.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray());
        return clean.Length is > 0 and <= 31 ? clean : clean.Length > 31 ? clean[..31] : "Quote";
    }
}
