using System.IO.Compression;
using System.Text;
using CrmBlazor.Domain.Importing;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Importing;

/// <summary>
/// The mapping step reads a workbook's first rows from <see cref="SheetTop"/>'s copy instead of the whole file: MiniExcel must
/// read the same rows, with the same values, from the copy as from the file, and the copy must hold no more.
/// </summary>
public sealed class SheetTopTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sheet-top-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_team_sheet_with_a_title_line_reads_the_same_first_rows_from_the_copy_and_no_more()
    {
        var rows = Enumerable.Range(1, 500)
            .Select(i => new object?[] { $"C{i:D3}", $"客户{i}有限公司", i % 7 == 0 ? null : "信息技术", new DateTime(2024, 1, 1).AddDays(i), 138_0013_8000L + i, i * 1.5 })
            .ToArray();
        var path = Save("legacy.xlsx", ImportWorkbooks.LegacySheet("2024 年客户清单", ["客户编号", "客户名称", "所属行业", "最后跟进时间", "联系电话", "金额"], rows));

        var fromCopy = FirstRows(SheetTop.Of(path, 60), 1000);
        var fromFile = FirstRows(File.OpenRead(path), 60);

        Assert.Equal(60, fromCopy.Count); // the copy stops after 60 rows of the 503
        AssertSameRows(fromFile, fromCopy);
        Assert.Equal("2024 年客户清单", fromCopy[0]["A"]);
        Assert.Equal("客户编号", fromCopy[2]["A"]);
        Assert.Equal(new DateTime(2024, 1, 2), fromCopy[3]["D"]);
    }

    [Fact]
    public void Shared_strings_dates_by_style_gaps_between_rows_and_a_dimension_come_out_as_from_the_file()
    {
        // As Excel writes a sheet: a dimension, text in the shared strings, a date as a styled serial number, and rows it
        // left out (row 3) that MiniExcel yields as blank ones.
        var shared = new[] { "公司名称", "联系电话", "最后联系时间", "瑞丰科技", "云帆网络" };
        var sheetRows = new List<string>
        {
            """<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>""",
            """<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>13800138000</v></c><c r="C2" s="1"><v>45297</v></c></row>""",
        };
        sheetRows.AddRange(Enumerable.Range(4, 100).Select(r => $"""<row r="{r}"><c r="A{r}" t="s"><v>4</v></c><c r="B{r}" t="inlineStr"><is><t>138 0013 {r:D4}</t></is></c></row>"""));
        var path = Path.Combine(_folder, "excel-like.xlsx");
        HandmadeWorkbooks.Write(path, [new HandmadeWorkbooks.Sheet("客户", HandmadeWorkbooks.SheetXml(sheetRows, dimension: "A1:C103"))], zip =>
        {
            Part(zip, "xl/sharedStrings.xml", $"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{shared.Length}" uniqueCount="{shared.Length}">{string.Concat(shared.Select(s => $"<si><t>{s}</t></si>"))}</sst>""");
            Part(zip, "xl/styles.xml", """<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>""");
        });

        var fromCopy = FirstRows(SheetTop.Of(path, 12), 1000);
        var fromFile = FirstRows(File.OpenRead(path), 12);

        Assert.Equal(13, fromCopy.Count); // 12 row elements: rows 1, 2, the blank row 3 MiniExcel fills in, 4 … 12
        AssertSameRows(fromFile, fromCopy.Take(12).ToList());
        Assert.Equal(new[] { "公司名称", "联系电话", "最后联系时间" }, fromCopy[0].Values.Select(v => v?.ToString()));
        Assert.Equal("瑞丰科技", fromCopy[1]["A"]);
        Assert.Equal(new DateTime(2024, 1, 6), fromCopy[1]["C"]);
        Assert.All(fromCopy[2].Values, v => Assert.Null(v));
        Assert.Equal("138 0013 0004", fromCopy[3]["B"]);
    }

    private string Save(string name, MemoryStream workbook)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, workbook.ToArray());
        return path;
    }

    private static void Part(ZipArchive zip, string name, string xml)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(xml));
    }

    private static List<IDictionary<string, object?>> FirstRows(Stream workbook, int count)
    {
        using (workbook)
        {
            return workbook.Query(useHeaderRow: false).Take(count).Select(r => (IDictionary<string, object?>)r).ToList();
        }
    }

    /// <summary>Every cell the copy gives equals the file's; a column the file has past the copy's widest row is empty in these rows.</summary>
    private static void AssertSameRows(List<IDictionary<string, object?>> fromFile, List<IDictionary<string, object?>> fromCopy)
    {
        Assert.Equal(fromFile.Count, fromCopy.Count);
        for (var i = 0; i < fromFile.Count; i++)
        {
            foreach (var (column, value) in fromCopy[i])
            {
                Assert.Equal(fromFile[i][column], value);
            }
            Assert.All(fromFile[i].Where(c => !fromCopy[i].ContainsKey(c.Key)), c => Assert.Null(c.Value));
        }
    }
}
