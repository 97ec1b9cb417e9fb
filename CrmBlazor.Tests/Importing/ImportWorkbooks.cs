using System.IO.Compression;
using System.Text;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Importing;

/// <summary>Real .xlsx files for the import tests, written with MiniExcel like a user's Excel would save them.</summary>
public static class ImportWorkbooks
{
    /// <summary>A customer row in the template's columns.</summary>
    public static Dictionary<string, object?> Row(string? name, string? contact = "联系人", string? mobile = null, string? industry = null,
        string? number = null, string? email = null, string? city = null, string? status = null, string? notes = null) => new()
    {
        ["客户编号"] = number,
        ["客户名称*"] = name,
        ["行业"] = industry,
        ["状态"] = status,
        ["城市"] = city,
        ["街道地址"] = null,
        ["备注"] = notes,
        ["关键联系人*"] = contact,
        ["手机"] = mobile,
        ["邮箱"] = email,
    };

    /// <summary><paramref name="count"/> distinct valid new customers (names and mobiles unique per <paramref name="tag"/>).</summary>
    public static List<Dictionary<string, object?>> ValidRows(int count, string tag) =>
        Enumerable.Range(1, count).Select(i => Row($"{tag}导入客户{i:D4}有限公司", $"联系人{i}", $"139{tag.GetHashCode(StringComparison.Ordinal) & 0xFFF:D4}{i:D4}", "制造业")).ToList();

    /// <summary>A team's own sheet (issue 17): a title line, a blank row, then its headings and rows — no template headers.</summary>
    public static MemoryStream LegacySheet(string title, string[] headings, object?[][] rows)
    {
        var sheet = new List<Dictionary<string, object?>>
        {
            Cells(headings.Select((_, i) => i == 0 ? title : null).ToArray()),
            Cells(new object?[headings.Length]),
            Cells(headings),
        };
        sheet.AddRange(rows.Select(Cells));
        var stream = new MemoryStream();
        stream.SaveAs(sheet, printHeader: false);
        stream.Position = 0;
        return stream;

        Dictionary<string, object?> Cells(object?[] values) => values.Select((v, i) => (Key: ((char)('A' + i)).ToString(), v)).ToDictionary(x => x.Key, x => x.v);
    }

    public static MemoryStream Xlsx(IEnumerable<IDictionary<string, object?>> rows)
    {
        var stream = new MemoryStream();
        stream.SaveAs(rows.Select(r => r.ToDictionary(c => c.Key, c => c.Value)).ToList());
        stream.Position = 0;
        return stream;
    }

    /// <summary>A workbook whose cell B2 computes its value: the sheet XML gets a formula element before the cached value.</summary>
    public static MemoryStream WithFormula(IEnumerable<IDictionary<string, object?>> rows)
    {
        var source = Xlsx(rows);
        var result = new MemoryStream();
        source.CopyTo(result);
        using (var zip = new ZipArchive(result, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }
            var at = xml.IndexOf("<x:v>", StringComparison.Ordinal) is var x and >= 0 ? x : xml.IndexOf("<v>", StringComparison.Ordinal);
            var prefix = xml[at..].StartsWith("<x:", StringComparison.Ordinal) ? "x:" : "";
            xml = xml.Insert(at, $"<{prefix}f>HYPERLINK(\"http://evil.example\",\"x\")</{prefix}f>");
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(entry.FullName).Open());
            writer.Write(xml);
        }
        result.Position = 0;
        return result;
    }

    /// <summary>What Excel saves when a workbook has a password: an OLE compound file holding the encrypted package.</summary>
    public static MemoryStream PasswordProtected()
    {
        var bytes = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        Encoding.Unicode.GetBytes("EncryptionInfo").CopyTo(bytes, 1024);
        Encoding.Unicode.GetBytes("EncryptedPackage").CopyTo(bytes, 1152);
        return new MemoryStream(bytes);
    }

    /// <summary>An old binary .xls: an OLE compound file without encryption.</summary>
    public static MemoryStream OldXls()
    {
        var bytes = new byte[4096];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(bytes, 0);
        Encoding.Unicode.GetBytes("Workbook").CopyTo(bytes, 1024);
        return new MemoryStream(bytes);
    }

    public static List<Dictionary<string, object?>> Read(string path) =>
        MiniExcel.Query(path, useHeaderRow: true).Cast<IDictionary<string, object?>>().Select(r => r.ToDictionary(c => c.Key, c => c.Value)).ToList();
}
