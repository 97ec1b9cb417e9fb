using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Features.Pipeline;
using CrmBlazor.Tests.Layout;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>The draft quote's line editor: amounts as the Domain computes them while typing, lines added and removed, field errors on their line.</summary>
public sealed class QuoteLinesEditorTests : MudTestContext
{
    private static readonly ProductItem Erp = new(Guid.NewGuid(), 1, "ERP-STD", "ERP 标准版", "套", 12_000_000, true);
    private static readonly ProductItem Days = new(Guid.NewGuid(), 1, "SVC-DAY", "实施服务", "人天", 150_000, true);
    private static readonly ProductItem Withdrawn = new(Guid.NewGuid(), 1, "OLD-1", "旧版许可", "套", 100, false);

    public QuoteLinesEditorTests() => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");

    [Fact]
    public void Each_line_and_the_total_show_the_amounts_the_domain_will_compute_and_lines_are_added_and_removed()
    {
        var rows = new List<QuoteLineRow>
        {
            new() { ProductId = Erp.Id, Quantity = 2m, UnitPrice = 120_000m, Discount = 5m },
            new() { ProductId = Days.Id, Quantity = 12.5m, UnitPrice = 1_500m, Discount = 0m },
        };
        var editor = Render<QuoteLinesEditor>(p => p.Add(e => e.Rows, rows).Add(e => e.Products, [Erp, Days, Withdrawn]));

        Assert.Equal(["CN¥228,000.00", "CN¥18,750.00"], editor.FindAll(".crm-quote-line-total").Select(c => c.TextContent.Trim()));
        Assert.Contains("CN¥246,750.00", editor.Find("tr.crm-quote-total").TextContent, StringComparison.Ordinal);

        editor.Find(".crm-quote-add-line").Click();
        Assert.Equal(3, editor.FindAll("tr.crm-quote-line").Count);
        editor.FindAll(".crm-quote-line-remove")[0].Click();
        Assert.Equal(2, editor.FindAll("tr.crm-quote-line").Count);
        Assert.Contains("CN¥18,750.00", editor.Find("tr.crm-quote-total").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_error_shows_on_its_line()
    {
        var rows = new List<QuoteLineRow> { new() { ProductId = Erp.Id, Quantity = 1m, UnitPrice = 120_000m }, new() { ProductId = Days.Id, Quantity = 0m, UnitPrice = 1_500m } };
        var errors = new Dictionary<string, string> { ["Lines[1].Quantity"] = "Line 2: the quantity is more than 0." };

        var editor = Render<QuoteLinesEditor>(p => p.Add(e => e.Rows, rows).Add(e => e.Products, [Erp, Days]).Add(e => e.Errors, errors));

        var lines = editor.FindAll("tr.crm-quote-line");
        Assert.DoesNotContain("Line 2", lines[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Line 2: the quantity is more than 0.", lines[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_draft_says_to_add_a_product()
    {
        var editor = Render<QuoteLinesEditor>(p => p.Add(e => e.Rows, []).Add(e => e.Products, [Erp]));

        Assert.Empty(editor.FindAll("tr.crm-quote-line"));
        Assert.Contains("No lines yet", editor.Find(".crm-quote-no-lines").TextContent, StringComparison.Ordinal);
    }
}
