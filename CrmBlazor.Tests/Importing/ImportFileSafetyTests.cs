using System.IO.Compression;
using System.Text;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmBlazor.Tests.Importing.HandmadeWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>
/// Issue #12 §3 "Import files": a workbook is a zip, and a zip can unpack to far more than was uploaded. Each bad file
/// is refused by <see cref="ImportFileCheck"/> before MiniExcel reads a row, with a message in both languages, leaving
/// nothing behind, and the check itself allocates a few megabytes at most (measured on its own thread, so tests
/// running beside it do not count).
/// </summary>
public sealed class ImportFileSafetyTests : IDisposable
{
    /// <summary>What the check may allocate for any file: far below the 300 MB the issue allows the whole process to grow.</summary>
    private const long CheckBudget = 16L * 1024 * 1024;

    private readonly string _folder = Directory.CreateTempSubdirectory("crm-import-safety-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_zip_bomb_is_refused_from_the_zip_directory_without_being_inflated()
    {
        var bomb = Made("bomb.xlsx", path => Write(path, [new Sheet("客户", "", Content: Spaces(300))]));
        Assert.InRange(new FileInfo(bomb).Length, 1, 1024 * 1024); // 300 MB of sheet in a file under the 1 MB upload limit

        await AssertRefusedAsync(bomb, "压缩炸弹", "zip bomb");
    }

    [Fact]
    public async Task A_part_whose_header_understates_its_size_is_read_no_further_than_it_says_and_refused()
    {
        var liar = Made("liar.xlsx", path =>
        {
            Write(path, [new Sheet("客户", "", Content: Spaces(300))]);
            UnderstateSize(path, "xl/worksheets/sheet1.xml", 512 * 1024); // 300 MB inside, 512 KB on the label: under every ratio and size cap
        });

        await AssertRefusedAsync(liar, "工作簿已损坏", "damaged");
    }

    [Fact]
    public void The_sheet_scan_stops_at_its_byte_limit_whatever_the_stream_would_still_give()
    {
        using var endless = new EndlessSheet();

        var result = SheetScan.Run(endless, maxBytes: 1024 * 1024, maxRows: 1000, maxColumns: 200);

        Assert.Equal(SheetScanStop.TooLong, result.Stop);
        Assert.InRange(endless.Given, 1024 * 1024, 1024 * 1024 + (1 << 16)); // one block past the limit at most
    }

    [Fact]
    public async Task Small_parts_that_together_unpack_past_the_limit_are_refused()
    {
        var many = Made("many.xlsx", path => Write(path, [new Sheet("客户", SheetXml(CustomerRows("甲有限公司")))], zip =>
        {
            var megabyte = new byte[ImportFileCheck.RatioCheckedAbove]; // each exactly at the ratio check's threshold, 250 MB together
            for (var i = 0; i < 250; i++)
            {
                using var part = zip.CreateEntry($"xl/media/image{i}.bin", CompressionLevel.Optimal).Open();
                part.Write(megabyte);
            }
        }));

        await AssertRefusedAsync(many, "解压后超过 200 MB 的上限", "unpacks to more than the 200 MB limit");
    }

    [Fact]
    public async Task Too_many_parts_are_refused_before_the_zip_is_listed()
    {
        var parts = Made("parts.xlsx", path => Write(path, [new Sheet("客户", SheetXml(CustomerRows("甲有限公司")))], zip =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                zip.CreateEntry($"xl/custom/{i}.xml").Open().Dispose();
            }
        }));

        await AssertRefusedAsync(parts, "文件里有 1,005 个部件，超过 1,000 个的上限", "1,005 parts");
    }

    [Fact]
    public async Task A_header_of_16384_columns_is_refused()
    {
        var wide = Made("wide.xlsx", path => Write(path,
            [new Sheet("客户", SheetXml([Row(1, ["客户名称*", "关键联系人*", .. Enumerable.Range(3, 16_382).Select(i => $"列{i}")]), Row(2, "甲有限公司", "甲")]))]));

        await AssertRefusedAsync(wide, "表头有 16,384 列，超过 200 列的上限", "16,384 columns");
    }

    [Fact]
    public async Task A_sheet_running_to_row_1048576_is_refused_before_MiniExcel_walks_its_blank_rows()
    {
        var tall = Made("tall.xlsx", path => Write(path,
            [new Sheet("客户", SheetXml([Row(1, "客户名称*", "关键联系人*"), Row(1_048_576, "甲有限公司", "甲")]))]));
        var claimed = Made("claimed.xlsx", path => Write(path,
            [new Sheet("客户", SheetXml(CustomerRows("甲有限公司"), dimension: "A1:B1048576"))]));
        var single = Made("single.xlsx", path => Write(path,
            [new Sheet("客户", SheetXml(["""<row r="1048576"/>"""]))]));

        await AssertRefusedAsync(tall, "文件超过 1,000 行的上限（工作表有 1,048,576 行，空行也算）", "1,048,576 rows");
        await AssertRefusedAsync(claimed, "工作表有 1,048,576 行", "1,048,576 rows");
        await AssertRefusedAsync(single, "工作表有 1,048,576 行", "1,048,576 rows");
    }

    [Fact]
    public async Task Of_two_sheets_the_customer_sheet_is_the_one_read_so_its_formula_is_caught()
    {
        var customerSecond = Made("two.xlsx", path => Write(path,
        [
            new Sheet("说明", SheetXml(CustomerRows("说明有限公司"))),
            new Sheet("客户", SheetXml(CustomerRowsWithFormula("公式有限公司"))),
        ]));
        var firstVisible = Made("first-visible.xlsx", path => Write(path,
        [
            new Sheet("Hidden", SheetXml(CustomerRows("隐藏有限公司")), State: "hidden"),
            new Sheet("Sheet2", SheetXml(CustomerRowsWithFormula("公式有限公司"))),
            new Sheet("Sheet3", SheetXml(CustomerRows("第三有限公司"))),
        ]));

        await AssertRefusedAsync(customerSecond, "单元格 B2 含有公式", "Cell B2 holds a formula");
        await AssertRefusedAsync(firstVisible, "单元格 B2 含有公式", "Cell B2 holds a formula");
    }

    [Fact]
    public async Task The_template_shaped_workbook_imports_its_customer_sheet_wherever_that_sheet_stands()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var workbook = Made("template.xlsx", path => Write(path,
        [
            new Sheet("说明", SheetXml(CustomerRows("说明有限公司"))),
            new Sheet(CustomerTemplate.SheetName, SheetXml(CustomerRows("第一两表有限公司", "第二两表有限公司"))),
            new Sheet(CustomerTemplate.AllowedValuesSheetName, SheetXml(CustomerRowsWithFormula("可选值"))), // never read, so its formula is no risk
        ]));

        Assert.Equal(CustomerTemplate.SheetName, ImportFileCheck.Check(workbook, harness.Get<ImportSettings>(admin)).Name);
        await using var upload = File.OpenRead(workbook);
        var preview = await harness.Get<CustomerImport>(admin).PrepareAsync("template.xlsx", upload, ImportMode.CreateOnly);

        Assert.Equal((2, 2, 0), (preview.Job.TotalRows, preview.Job.ToCreate, preview.Job.ErrorRows));
    }

    [Fact]
    public async Task A_sheet_part_the_workbook_does_not_name_is_never_read_in_place_of_the_one_it_names()
    {
        // Before: the check scanned the part workbook.xml names, while MiniExcel, finding a single xl/worksheets/sheet*.xml, read that one.
        var decoy = Made("decoy.xlsx", path => Write(path,
            [new Sheet("客户", SheetXml(CustomerRows("干净有限公司")), Part: "worksheets/clean.xml")],
            zip => Entry(zip, "xl/worksheets/sheet1.xml", SheetXml(CustomerRowsWithFormula("公式有限公司")))));
        var twice = Made("twice.xlsx", path => Write(path, [new Sheet("客户", SheetXml(CustomerRows("干净有限公司")))],
            zip => Entry(zip, "XL/worksheets/sheet1.xml", SheetXml(CustomerRowsWithFormula("公式有限公司")))));
        var utf16 = Made("utf16.xlsx", path => Write(path, [new Sheet("客户", "", Content: part =>
        {
            part.Write(Encoding.Unicode.GetPreamble());
            part.Write(Encoding.Unicode.GetBytes(SheetXml(CustomerRowsWithFormula("公式有限公司")).Replace("UTF-8", "UTF-16", StringComparison.Ordinal)));
        })]));

        await AssertRefusedAsync(decoy, "这不是 Excel 工作簿（.xlsx）", "not an Excel workbook");
        await AssertRefusedAsync(twice, "这不是 Excel 工作簿（.xlsx）", "not an Excel workbook");
        await AssertRefusedAsync(utf16, "这不是 Excel 工作簿（.xlsx）", "not an Excel workbook"); // a byte scan cannot see UTF-16 tags
    }

    /// <summary>
    /// The file is refused by the check alone within <see cref="CheckBudget"/>, and then through the import with the
    /// same message: no job, no customer, no upload or errors workbook left.
    /// </summary>
    private static async Task AssertRefusedAsync(string path, string zh, string en)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        var settings = harness.Get<ImportSettings>(admin);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var direct = Assert.Throws<ImportRejectedException>(() => ImportFileCheck.Check(path, settings));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(allocated < CheckBudget, $"{Path.GetFileName(path)}: the check allocated {allocated / 1024} KB (budget {CheckBudget / 1024} KB)");
        Assert.Contains(zh, direct.Zh, StringComparison.Ordinal);
        Assert.Contains(en, direct.En, StringComparison.Ordinal);

        int customers;
        await using (var db = harness.NewSystemContext())
        {
            customers = await db.Customers.CountAsync();
        }
        await using (var upload = File.OpenRead(path))
        {
            var refused = await Assert.ThrowsAsync<ImportRejectedException>(() =>
                harness.Get<CustomerImport>(admin).PrepareAsync(Path.GetFileName(path), upload, ImportMode.CreateOnly));
            Assert.Equal((direct.Zh, direct.En), (refused.Zh, refused.En));
        }
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(0, await db.ImportJobs.CountAsync());
            Assert.Equal(customers, await db.Customers.CountAsync());
        }
        Assert.Empty(Directory.Exists(harness.ImportRoot) ? Directory.GetFiles(harness.ImportRoot) : []);
    }

    private string Made(string name, Action<string> write)
    {
        var path = Path.Combine(_folder, name);
        write(path);
        return path;
    }

    private static void Entry(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A sheet that never ends: its opening, then spaces for as long as anyone reads.</summary>
    private sealed class EndlessSheet : Stream
    {
        private static readonly byte[] Opening = Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>""");

        public long Given { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var span = buffer.AsSpan(offset, count);
            span.Fill((byte)' ');
            if (Given < Opening.Length)
            {
                var head = Opening.AsSpan((int)Given, Math.Min(Opening.Length - (int)Given, count));
                head.CopyTo(span);
            }
            Given += count;
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Given; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
