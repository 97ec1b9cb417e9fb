using System.IO.Compression;
using System.Text;
using System.Xml;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// The first rows of a workbook as a small workbook of its own, for the mapping step's header search and samples.
/// MiniExcel works out a sheet's size before its first row: from the <c>&lt;dimension&gt;</c> when there is one, else by
/// walking every cell of the sheet (MiniExcel's own files, and other tools', have none). On a 100,000-row sheet that walk
/// takes half a second or more and allocates over a gigabyte, for the ten rows the header search looks at. The copy keeps
/// every XML part MiniExcel reads (workbook, relationships, shared strings, styles: the values come out as they would from
/// the whole file) and only the first rows of each sheet's data, read until there and no further.
/// </summary>
internal static class SheetTop
{
    private static readonly XmlReaderSettings Reading = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
    private static readonly XmlWriterSettings Writing = new() { Encoding = new UTF8Encoding(false), CloseOutput = false };

    /// <summary>
    /// The workbook at <paramref name="path"/> (already passed <see cref="ImportFileCheck.Check"/>) with each sheet cut after
    /// its first <paramref name="rows"/> row elements; each row element MiniExcel yields as at least one row, so the first
    /// <paramref name="rows"/> rows it yields are the whole file's.
    /// </summary>
    public static MemoryStream Of(string path, int rows)
    {
        var copy = new MemoryStream();
        using (var source = ZipFile.OpenRead(path))
        using (var target = new ZipArchive(copy, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)
                || e.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase)))
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, CompressionLevel.Fastest).Open();
                if (IsSheet(entry.FullName))
                {
                    CopyFirstRows(from, to, rows);
                }
                else
                {
                    from.CopyTo(to);
                }
            }
        }
        copy.Position = 0;
        return copy;
    }

    private static bool IsSheet(string name) =>
        name.TrimStart('/').StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && !name.Contains("/_rels/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The worksheet element and its <c>sheetData</c> with the first <paramref name="rows"/> row elements, as they are.</summary>
    private static void CopyFirstRows(Stream from, Stream to, int rows)
    {
        using var reader = XmlReader.Create(from, Reading);
        using var writer = XmlWriter.Create(to, Writing);
        reader.MoveToContent();
        writer.WriteStartElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
        writer.WriteAttributes(reader, defattr: false);
        var top = reader.Depth;
        var empty = reader.IsEmptyElement;
        while (!empty && reader.Read() && reader.Depth > top)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Depth != top + 1 || reader.LocalName != "sheetData")
            {
                continue;
            }
            writer.WriteStartElement(reader.Prefix, reader.LocalName, reader.NamespaceURI);
            if (!reader.IsEmptyElement && reader.Read())
            {
                var copied = 0;
                while (copied < rows && reader.Depth > top + 1)
                {
                    if (reader.NodeType == XmlNodeType.Element)
                    {
                        copied += reader.LocalName == "row" ? 1 : 0;
                        writer.WriteNode(reader, defattr: false); // the whole element; the reader moves past it
                    }
                    else if (!reader.Read())
                    {
                        break;
                    }
                }
            }
            break;
        }
        writer.WriteEndDocument();
    }
}
