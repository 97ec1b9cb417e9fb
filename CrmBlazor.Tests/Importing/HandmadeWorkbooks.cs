using System.Buffers.Binary;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace CrmBlazor.Tests.Importing;

/// <summary>
/// .xlsx files written part by part (the way an attacker would, not the way Excel would), streamed to disk so a
/// 300 MB part costs the test a megabyte of memory.
/// </summary>
public static class HandmadeWorkbooks
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>One sheet: its name, its XML (or what writes its part), the part it is stored in, and its state (hidden …).</summary>
    public sealed record Sheet(string Name, string Xml, string? Part = null, string? State = null, Action<Stream>? Content = null);

    /// <summary>A workbook of <paramref name="sheets"/> in this order; <paramref name="more"/> adds parts of its own.</summary>
    public static void Write(string path, IReadOnlyList<Sheet> sheets, Action<ZipArchive>? more = null)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        Text(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>""");
        Text(zip, "_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        var entries = sheets.Select((s, i) => (Sheet: s, Id: $"rId{i + 1}", Part: s.Part ?? $"worksheets/sheet{i + 1}.xml")).ToList();
        Text(zip, "xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{Main}" xmlns:r="{Relationships}"><sheets>{string.Concat(entries.Select((e, i) =>
            $"""<sheet name="{SecurityElement.Escape(e.Sheet.Name)}" sheetId="{i + 1}" r:id="{e.Id}"{(e.Sheet.State is null ? "" : $" state=\"{e.Sheet.State}\"")}/>"""))}</sheets></workbook>""");
        Text(zip, "xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{string.Concat(entries.Select(e =>
            $"""<Relationship Id="{e.Id}" Type="{Relationships}/worksheet" Target="{e.Part}"/>"""))}</Relationships>""");
        foreach (var (sheet, _, part) in entries)
        {
            using var stream = zip.CreateEntry("xl/" + part, CompressionLevel.Optimal).Open();
            if (sheet.Content is { } content)
            {
                content(stream);
            }
            else
            {
                stream.Write(Encoding.UTF8.GetBytes(sheet.Xml));
            }
        }
        more?.Invoke(zip);
    }

    /// <summary>A sheet whose rows are given as XML (see <see cref="Row"/>), with a dimension element when one is given.</summary>
    public static string SheetXml(IEnumerable<string> rows, string? dimension = null) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{Main}">{(dimension is null ? "" : $"<dimension ref=\"{dimension}\"/>")}<sheetData>{string.Concat(rows)}</sheetData></worksheet>""";

    /// <summary>Row <paramref name="number"/> with text cells from column A on.</summary>
    public static string Row(int number, params string[] texts) =>
        $"""<row r="{number}">{string.Concat(texts.Select((t, i) => $"""<c r="{Column(i + 1)}{number}" t="inlineStr"><is><t>{SecurityElement.Escape(t)}</t></is></c>"""))}</row>""";

    /// <summary>The template's required columns and a valid customer per name.</summary>
    public static string[] CustomerRows(params string[] names) =>
        [Row(1, "客户名称*", "关键联系人*"), .. names.Select((n, i) => Row(i + 2, n, $"联系人{i + 1}"))];

    /// <summary>Row 2 of <see cref="CustomerRows"/> with a formula in B2.</summary>
    public static string[] CustomerRowsWithFormula(string name) =>
        [Row(1, "客户名称*", "关键联系人*"), $"""<row r="2"><c r="A2" t="inlineStr"><is><t>{name}</t></is></c><c r="B2" t="str"><f>HYPERLINK("http://evil.example","x")</f><v>x</v></c></row>"""];

    /// <summary>"A", "Z", "AA" … "XFD".</summary>
    public static string Column(int number)
    {
        var name = "";
        for (; number > 0; number = (number - 1) / 26)
        {
            name = (char)('A' + (number - 1) % 26) + name;
        }
        return name;
    }

    /// <summary>A sheet of <paramref name="megabytes"/> MB, written as it is zipped: its opening, spaces, its close; deflate packs it about 1,000 to 1.</summary>
    public static Action<Stream> Spaces(int megabytes) => stream =>
    {
        stream.Write(Encoding.UTF8.GetBytes(SheetXml([Row(1, "客户名称*", "关键联系人*")]).Replace("</sheetData></worksheet>", "", StringComparison.Ordinal)));
        var block = new byte[1024 * 1024];
        Array.Fill(block, (byte)' ');
        for (var i = 0; i < megabytes; i++)
        {
            stream.Write(block);
        }
        stream.Write("</sheetData></worksheet>"u8);
    };

    /// <summary>
    /// Rewrites what the zip says a part unpacks to, in its local header and its directory entry (the two must agree
    /// or the zip reader refuses the file): a header that lies about the part's size.
    /// </summary>
    public static void UnderstateSize(string path, string part, uint claimed)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(part);
        var end = bytes.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        var at = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(end + 16));
        while (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) == 0x02014b50)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 28));
            var length = 46 + nameLength + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 30)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 32));
            if (bytes.AsSpan(at + 46, nameLength).SequenceEqual(name))
            {
                var local = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 42));
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 24), claimed);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(local + 22), claimed);
            }
            at += length;
        }
        File.WriteAllBytes(path, bytes);
    }

    private static void Text(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
