using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Xml;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Importing;

/// <summary>A file the import will not read, and why, in both languages. Nothing was written.</summary>
public sealed class ImportRejectedException(string zh, string en) : CrmException("Error.ImportRejected", en, zh, en)
{
    public string Zh { get; } = zh;
    public string En { get; } = en;
}

/// <summary>The sheet an import reads, and the rows it runs to (blank ones and the header included, as MiniExcel walks them): no column holds more values.</summary>
public sealed record ImportSheet(string Name, int Rows);

/// <summary>
/// What a file must be before any row is read (SPEC H2 "bad files"; ASVS 5.0 5.2.3): an .xlsx workbook (a zip holding
/// <c>xl/workbook.xml</c>), not a password-protected one (those are OLE compound files holding an
/// <c>EncryptedPackage</c>), not an old .xls, within the size limit; a zip that stays small once unpacked (its parts'
/// count, their total unpacked size and each part's compression ratio, all read from the zip's directory before
/// anything is inflated); and a customer sheet within the row and header-column limits, blank rows counted as
/// MiniExcel walks them, with values, not formulas: a formula's cached result may be stale, and cells that compute
/// are how CSV and formula injection travel.
/// <para>
/// The sheet checked is the sheet read: <see cref="Check"/> names it (the template's <see cref="CustomerTemplate.SheetName"/>
/// sheet when the workbook has one, else its first visible sheet), the import passes that name to MiniExcel, and
/// the part is found the way MiniExcel finds it. Anything that would let the two disagree — two parts or two
/// sheets with one name, a sheet whose part MiniExcel would not find — refuses the file.
/// </para>
/// </summary>
public static class ImportFileCheck
{
    /// <summary>Parts up to this size are not held to the compression ratio: small XML compresses well and harms no one.</summary>
    public const long RatioCheckedAbove = 1024 * 1024;

    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string MainStrict = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    private const string Relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string RelationshipStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships";
    private const string PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] Ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly XmlReaderSettings Xml = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };

    /// <summary>Refuses a bad file with an <see cref="ImportRejectedException"/>; returns the sheet to read and how many rows it runs to.</summary>
    public static ImportSheet Check(string path, ImportSettings settings)
    {
        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new ImportRejectedException("文件是空的。", "The file is empty.");
        }
        if (length > settings.MaxBytes)
        {
            throw TooLarge(settings);
        }
        var head = new byte[8];
        using (var file = File.OpenRead(path))
        {
            file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        if (head.AsSpan().StartsWith(Ole))
        {
            if (ContainsUtf16(path, "EncryptedPackage"))
            {
                throw new ImportRejectedException("工作簿有密码保护：请在 Excel 中取消密码后再上传。", "The workbook is password-protected: remove the password in Excel, then upload it again.");
            }
            throw new ImportRejectedException("这是旧版 .xls 文件：请在 Excel 中另存为 .xlsx 后再上传。", "This is an old .xls file: save it as .xlsx in Excel, then upload it again.");
        }
        if (!head.AsSpan().StartsWith(Zip))
        {
            throw NotWorkbook();
        }
        try
        {
            // The zip reader lists every part when it opens: count them from the directory's end record first.
            if (DeclaredEntries(path) is var declared && declared > settings.MaxZipEntries)
            {
                throw TooManyParts(declared, settings);
            }
            using var zip = ZipFile.OpenRead(path);
            CheckParts(zip, settings);
            var (name, sheet) = SheetToRead(zip);
            using var stream = sheet.Open();
            // Length is what the zip says the part unpacks to (the reader stops there); the scan holds it to that whatever the reader does.
            var scan = SheetScan.Run(stream, Math.Min(sheet.Length, settings.MaxUnpackedBytes), settings.MaxRows + 1L, settings.MaxColumns);
            return scan.Stop switch
            {
                SheetScanStop.End => new ImportSheet(name, (int)Math.Min(scan.Rows, int.MaxValue)),
                SheetScanStop.Formula => throw new ImportRejectedException($"单元格 {scan.Cell} 含有公式：请把公式复制后“粘贴为数值”，再上传。",
                    $"Cell {scan.Cell} holds a formula: copy the cells and paste them as values, then upload again."),
                SheetScanStop.TooManyRows => throw TooManyRows(settings, scan.Rows),
                SheetScanStop.TooManyColumns => throw new ImportRejectedException(
                    $"表头有 {scan.Columns:N0} 列，超过 {settings.MaxColumns:N0} 列的上限：请删除多余的列（保留导入模板的列）后再上传。",
                    $"The header row has {scan.Columns:N0} columns, over the {settings.MaxColumns:N0}-column limit: delete the extra columns (keep the import template's), then upload again."),
                SheetScanStop.TooLong or SheetScanStop.Incomplete => throw Damaged(),
                _ => throw NotWorkbook(),
            };
        }
        catch (Exception ex) when (ex is InvalidDataException or XmlException or IOException)
        {
            throw NotWorkbook();
        }
    }

    public static ImportRejectedException TooLarge(ImportSettings settings) => new(
        $"文件超过 {settings.MaxBytes / 1024 / 1024} MB 的上限：请拆成几个文件导入。",
        $"The file is over the {settings.MaxBytes / 1024 / 1024} MB limit: split it into several files.");

    public static ImportRejectedException NotWorkbook() => new(
        "这不是 Excel 工作簿（.xlsx）：请用导入模板或从 Excel 另存为 .xlsx。",
        "This is not an Excel workbook (.xlsx): use the import template, or save the file as .xlsx in Excel.");

    /// <summary>Over <see cref="ImportSettings.MaxRows"/>; <paramref name="rows"/> is what the sheet runs to, blank rows and the header included.</summary>
    public static ImportRejectedException TooManyRows(ImportSettings settings, long? rows = null) => rows is { } count
        ? new($"文件超过 {settings.MaxRows:N0} 行的上限（工作表有 {count:N0} 行，空行也算）：请删除数据下方的空行，或拆成几个文件导入。",
            $"The file is over the {settings.MaxRows:N0}-row limit (the sheet has {count:N0} rows, blank ones included): delete the empty rows below the data, or split it into several files.")
        : new($"文件超过 {settings.MaxRows:N0} 行的上限：请拆成几个文件导入。", $"The file is over the {settings.MaxRows:N0}-row limit: split it into several files.");

    private static ImportRejectedException Damaged() => new(
        "工作簿已损坏：工作表不完整，或与文件记录的大小不符。请在 Excel 中打开并另存为 .xlsx 后再上传。",
        "The workbook is damaged: its sheet is incomplete, or not the size the file records. Open it in Excel, save it as .xlsx, then upload it again.");

    private static ImportRejectedException TooManyParts(long parts, ImportSettings settings) => new(
        $"文件里有 {parts:N0} 个部件，超过 {settings.MaxZipEntries:N0} 个的上限：这不像 Excel 保存的工作簿。请在 Excel 中另存为 .xlsx 后再上传。",
        $"The file holds {parts:N0} parts, over the limit of {settings.MaxZipEntries:N0}: it does not look like a workbook Excel saved. Save it as .xlsx in Excel, then upload it again.");

    /// <summary>
    /// The zip's directory, before anything is inflated: the parts' count, each part's compression ratio (a "zip bomb"
    /// packs hundreds of megabytes of one repeated byte into a few hundred kilobytes), their total unpacked size, and
    /// one part per name — readers that look parts up differently must not find different ones.
    /// </summary>
    private static void CheckParts(ZipArchive zip, ImportSettings settings)
    {
        if (zip.Entries.Count > settings.MaxZipEntries)
        {
            throw TooManyParts(zip.Entries.Count, settings);
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long unpacked = 0;
        foreach (var entry in zip.Entries)
        {
            if (!names.Add(entry.FullName.Replace('\\', '/')))
            {
                throw NotWorkbook();
            }
            if (entry.Length > RatioCheckedAbove && entry.Length > settings.MaxCompressionRatio * Math.Max(entry.CompressedLength, 1))
            {
                throw new ImportRejectedException(
                    $"文件中有一个部件压缩了 {entry.Length / Math.Max(entry.CompressedLength, 1):N0} 倍（上限 {settings.MaxCompressionRatio:N0} 倍）：这像是“压缩炸弹”，不会读取。请在 Excel 中另存为 .xlsx 后再上传。",
                    $"One part of the file is compressed {entry.Length / Math.Max(entry.CompressedLength, 1):N0} to 1 (the limit is {settings.MaxCompressionRatio:N0} to 1): this looks like a zip bomb and is not read. Save the workbook as .xlsx in Excel, then upload it again.");
            }
            unpacked += entry.Length;
            if (unpacked > settings.MaxUnpackedBytes)
            {
                throw new ImportRejectedException(
                    $"文件解压后超过 {settings.MaxUnpackedBytes / 1024 / 1024} MB 的上限：请拆成几个文件导入。",
                    $"The file unpacks to more than the {settings.MaxUnpackedBytes / 1024 / 1024} MB limit: split it into several files.");
            }
        }
    }

    /// <summary>
    /// How many parts the zip's end record says it has (the 64-bit record's count too, when there is one: the zip
    /// reader believes the larger), read from the file's tail without listing them.
    /// </summary>
    private static long DeclaredEntries(string path)
    {
        using var file = File.OpenRead(path);
        var tail = new byte[(int)Math.Min(file.Length, 22 + ushort.MaxValue)];
        file.Seek(-tail.Length, SeekOrigin.End);
        file.ReadExactly(tail);
        var end = tail.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        if (end < 0 || end + 22 > tail.Length)
        {
            throw new InvalidDataException("No end of central directory.");
        }
        long entries = Math.Max(BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 8)), BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10)));
        var locator = file.Length - tail.Length + end - 20;
        if (locator < 0)
        {
            return entries;
        }
        var bytes = new byte[56];
        file.Seek(locator, SeekOrigin.Begin);
        file.ReadExactly(bytes.AsSpan(0, 20));
        if (!bytes.AsSpan().StartsWith("PK\u0006\u0007"u8))
        {
            return entries;
        }
        var record = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        if (record < 0 || record > file.Length - bytes.Length)
        {
            return entries;
        }
        file.Seek(record, SeekOrigin.Begin);
        file.ReadExactly(bytes);
        if (!bytes.AsSpan().StartsWith("PK\u0006\u0006"u8))
        {
            return entries;
        }
        var count = Math.Max(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(24)), BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(32)));
        return Math.Max(entries, (long)Math.Min(count, long.MaxValue));
    }

    /// <summary>
    /// The sheet the import reads and its part: the template's customer sheet if the workbook has one, else the first
    /// visible sheet in Excel's order (workbook.xml → its relationship → the part, as MiniExcel resolves a sheet name:
    /// the same namespaces, and only parts under <c>xl/worksheets/sheet…</c>).
    /// </summary>
    private static (string Name, ZipArchiveEntry Part) SheetToRead(ZipArchive zip)
    {
        var workbook = zip.GetEntry("xl/workbook.xml") ?? throw NotWorkbook();
        var rels = zip.GetEntry("xl/_rels/workbook.xml.rels") ?? throw NotWorkbook();
        var sheets = new List<SheetRecord>();
        using (var reader = XmlReader.Create(workbook.Open(), Xml))
        {
            reader.MoveToContent();
            if (!IsElement(reader, "workbook", Main, MainStrict))
            {
                throw NotWorkbook();
            }
            var inSheets = false;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1)
                {
                    inSheets = IsElement(reader, "sheets", Main, MainStrict) && !reader.IsEmptyElement;
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.Depth == 2 && inSheets && IsElement(reader, "sheet", Main, MainStrict))
                {
                    var id = reader.GetAttribute("id", Relationship) ?? reader.GetAttribute("id", RelationshipStrict);
                    var name = reader.GetAttribute("name");
                    if (name is null || id is null || !uint.TryParse(reader.GetAttribute("sheetId"), out _))
                    {
                        throw NotWorkbook();
                    }
                    sheets.Add(new SheetRecord(name, id, reader.GetAttribute("state") is null or "visible"));
                }
            }
        }
        if (sheets.DistinctBy(s => s.Name).Count() != sheets.Count || sheets.DistinctBy(s => s.RelationId).Count() != sheets.Count)
        {
            throw NotWorkbook(); // MiniExcel would fail on, or choose differently among, two sheets with one name or one part
        }
        var chosen = sheets.FirstOrDefault(s => s.Name is CustomerTemplate.SheetName or Pipeline.LeadTemplate.SheetName or Pipeline.LeadTemplate.SheetNameEn) ?? sheets.FirstOrDefault(s => s.Visible) ?? throw NotWorkbook();

        string? target = null;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = XmlReader.Create(rels.Open(), Xml))
        {
            reader.MoveToContent();
            if (!IsElement(reader, "Relationships", PackageRelationships))
            {
                throw NotWorkbook();
            }
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && IsElement(reader, "Relationship", PackageRelationships))
                {
                    var id = reader.GetAttribute("Id") ?? "";
                    if (!ids.Add(id))
                    {
                        throw NotWorkbook();
                    }
                    target = id == chosen.RelationId ? reader.GetAttribute("Target") : target;
                }
            }
        }
        if (target is null)
        {
            throw NotWorkbook();
        }
        var parts = zip.Entries
            .Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.OrdinalIgnoreCase) || e.FullName.StartsWith("/xl/worksheets/sheet", StringComparison.OrdinalIgnoreCase))
            .Where(e => e.FullName == $"xl/{target}" || e.FullName == $"/xl/{target}" || e.FullName == target || target == $"/{e.FullName}")
            .ToList();
        return parts.Count == 1 ? (chosen.Name, parts[0]) : throw NotWorkbook();
    }

    private sealed record SheetRecord(string Name, string RelationId, bool Visible);

    private static bool IsElement(XmlReader reader, string localName, params string[] namespaces) =>
        reader.LocalName == localName && namespaces.Contains(reader.NamespaceURI);

    private static bool ContainsUtf16(string path, string text)
    {
        var needle = Encoding.Unicode.GetBytes(text);
        var content = File.ReadAllBytes(path); // an OLE file here is refused anyway; the size limit bounds it
        return content.AsSpan().IndexOf(needle) >= 0;
    }
}
