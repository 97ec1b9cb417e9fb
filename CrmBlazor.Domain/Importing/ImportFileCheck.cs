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

/// <summary>
/// What a file must be before any row is read (SPEC H2 "bad files"): an .xlsx workbook (a zip holding
/// <c>xl/workbook.xml</c>), not a password-protected one (those are OLE compound files holding an
/// <c>EncryptedPackage</c>), not an old .xls, within the size limit, and with values, not formulas, in
/// the customer sheet: a formula's cached result may be stale, and cells that compute are how CSV and
/// formula injection travel.
/// </summary>
public static class ImportFileCheck
{
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] Ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public static void Check(string path, ImportSettings settings)
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
            using var zip = ZipFile.OpenRead(path);
            var sheet = FirstSheet(zip) ?? throw NotWorkbook();
            if (FirstFormula(sheet) is { } cell)
            {
                throw new ImportRejectedException($"单元格 {cell} 含有公式：请把公式复制后“粘贴为数值”，再上传。",
                    $"Cell {cell} holds a formula: copy the cells and paste them as values, then upload again.");
            }
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

    /// <summary>The first sheet as Excel orders them (workbook.xml → its relationship → the part).</summary>
    private static ZipArchiveEntry? FirstSheet(ZipArchive zip)
    {
        var workbook = zip.GetEntry("xl/workbook.xml");
        var rels = zip.GetEntry("xl/_rels/workbook.xml.rels");
        if (workbook is null || rels is null)
        {
            return null;
        }
        string? relationId = null;
        using (var reader = XmlReader.Create(workbook.Open()))
        {
            while (relationId is null && reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet")
                {
                    relationId = reader.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
                }
            }
        }
        using (var reader = XmlReader.Create(rels.Open()))
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship" && reader.GetAttribute("Id") == relationId)
                {
                    var target = reader.GetAttribute("Target") ?? "";
                    return zip.GetEntry(target.StartsWith('/') ? target.TrimStart('/') : "xl/" + target);
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The reference of the first cell with a formula. The sheet is streamed as bytes and every tag's name looked
    /// at (<c>&lt;f&gt;</c>, or <c>&lt;x:f&gt;</c> with a prefix), never parsed as a whole: a 100,000-row sheet takes
    /// a fraction of a second. Text cannot hide a tag: XML escapes "&lt;" inside values.
    /// </summary>
    private static string? FirstFormula(ZipArchiveEntry sheet)
    {
        using var stream = sheet.Open();
        var buffer = new byte[1 << 16];
        const int Carry = 64;
        var kept = 0;
        int read;
        while ((read = stream.Read(buffer, kept, buffer.Length - kept)) > 0)
        {
            var span = buffer.AsSpan(0, kept + read);
            var at = 0;
            while (true)
            {
                var next = span[at..].IndexOf((byte)'<');
                if (next < 0)
                {
                    break;
                }
                var tag = at + next + 1;
                if (tag + Carry > span.Length)
                {
                    at = tag - 1;
                    break; // too close to the end to read the name: look again with the next block
                }
                var name = tag;
                while (name < span.Length && IsNameByte(span[name]) && span[name] != (byte)':')
                {
                    name++;
                }
                var localStart = name < span.Length && span[name] == (byte)':' ? name + 1 : tag;
                if (span[localStart] == (byte)'f' && localStart + 1 < span.Length && span[localStart + 1] is (byte)'>' or (byte)' ' or (byte)'/')
                {
                    return CellBefore(span[..tag]) ?? "?";
                }
                at = tag;
            }
            // Keep the unread tail (a tag cut in two) for the next block.
            var tail = Math.Min(span.Length, Math.Max(span.Length - at, 0));
            tail = Math.Min(tail, Carry);
            span[^tail..].CopyTo(buffer);
            kept = tail;
        }
        return null;
    }

    private static bool IsNameByte(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)':' or (byte)'_' or (byte)'-';

    /// <summary>The r="B2" of the last cell opened before the formula, when it is in the same block.</summary>
    private static string? CellBefore(ReadOnlySpan<byte> before)
    {
        var r = before.LastIndexOf(" r=\""u8);
        if (r < 0)
        {
            return null;
        }
        var value = before[(r + 4)..];
        var end = value.IndexOf((byte)'"');
        return end < 0 ? null : Encoding.ASCII.GetString(value[..end]);
    }

    private static bool ContainsUtf16(string path, string text)
    {
        var needle = Encoding.Unicode.GetBytes(text);
        var content = File.ReadAllBytes(path); // an OLE file here is refused anyway; the size limit bounds it
        return content.AsSpan().IndexOf(needle) >= 0;
    }
}
