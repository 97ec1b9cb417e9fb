using System.Text;
using CrmBlazor.Domain.Importing;

namespace CrmBlazor.Tests.Importing;

/// <summary>The byte scan reads what MiniExcel's XmlReader would read, or refuses: it cannot be talked past.</summary>
public sealed class SheetScanTests
{
    [Theory]
    [InlineData("""<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>""", nameof(SheetScanStop.End), 2)]
    [InlineData("""<row><c><v>1</v></c></row><row/><row r="5"/>""", nameof(SheetScanStop.End), 5)] // blank rows 3 and 4 are walked too
    [InlineData("""<row spans=">" r="1048576"/>""", nameof(SheetScanStop.TooManyRows), 1_048_576)] // a '>' inside a value hides nothing
    [InlineData("""<row r = ' +1048576 '/>""", nameof(SheetScanStop.TooManyRows), 1_048_576)] // as int.TryParse reads it
    [InlineData("""<row r="&#49;048576"/>""", nameof(SheetScanStop.Malformed), 0)] // an entity the scan would have to decode
    [InlineData("""<row r="1"><c r="xfd1"/></row>""", nameof(SheetScanStop.TooManyColumns), 16_384)]
    [InlineData("""<row r="1"><c r="A1"/></row><row r="3"><c r="A3"/><c r="HZ3"/></row>""", nameof(SheetScanStop.TooManyColumns), 234)] // a header row under a title line
    [InlineData("""<row r="1"/><row r="2"/><row r="3"/><row r="4"/><row r="5"/><row r="6"/><row r="7"/><row r="8"/><row r="9"/><row r="10"/><row r="11"><c r="HZ11"/></row>""", nameof(SheetScanStop.End), 11)] // past where a header row is looked for
    [InlineData("""<row r="1"><c r="A1"/></row><row r="2"><c r="B2"><x:f>1+1</x:f></c></row>""", nameof(SheetScanStop.Formula), 0)]
    [InlineData("""<row r="1"><c r="A1"/></row><row r="2"><c r="B2"><f/></c></row>""", nameof(SheetScanStop.Formula), 0)]
    public void Reads_rows_columns_and_formulas_as_MiniExcel_would(string rows, string expected, long count)
    {
        var stop = Enum.Parse<SheetScanStop>(expected);
        var result = Scan($"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns:x="x"><sheetData>{rows}</sheetData></worksheet>""");

        Assert.Equal(stop, result.Stop);
        Assert.Equal(count, stop == SheetScanStop.TooManyColumns ? result.Columns : result.Rows);
        Assert.Equal(stop == SheetScanStop.Formula ? "B2" : null, result.Cell);
    }

    [Theory]
    [InlineData("""<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData><row r="1"/>""", nameof(SheetScanStop.Incomplete))]
    [InlineData("""<?xml version="1.0" encoding="windows-1252"?><worksheet/>""", nameof(SheetScanStop.Malformed))]
    [InlineData("""<?xml version="1.0"?><worksheet><dimension ref="A1:B1048576"/></worksheet>""", nameof(SheetScanStop.TooManyRows))]
    public void A_sheet_cut_short_in_another_encoding_or_claiming_too_many_rows_is_refused(string xml, string expected) =>
        Assert.Equal(Enum.Parse<SheetScanStop>(expected), Scan(xml).Stop);

    [Fact]
    public void Tags_cut_by_the_block_boundary_are_read_whole()
    {
        // 64 KB blocks: rows of varying length put every kind of cut (in a name, an attribute, a value) somewhere.
        var rows = string.Concat(Enumerable.Range(1, 5_000).Select(i => $"""<row r="{i}" spans="1:{i % 7}"><c r="A{i}" t="s"><v>{i}</v></c></row>"""));
        var result = Scan($"""<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>{rows}<row r="5001"><c r="C5001"><f>NOW()</f></c></row></sheetData></worksheet>""", maxRows: 10_000);

        Assert.Equal((SheetScanStop.Formula, "C5001"), (result.Stop, result.Cell));
    }

    private static SheetScanResult Scan(string xml, long maxRows = 1_001) =>
        SheetScan.Run(new MemoryStream(Encoding.UTF8.GetBytes(xml)), long.MaxValue, maxRows, maxColumns: 200);
}
