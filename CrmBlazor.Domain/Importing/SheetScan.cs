using System.Globalization;
using System.Text;

namespace CrmBlazor.Domain.Importing;

/// <summary>Why <see cref="SheetScan"/> stopped: the end of a sound sheet, or the first thing that refuses it.</summary>
internal enum SheetScanStop
{
    End,
    Formula,
    TooManyRows,
    TooManyColumns,
    TooLong,
    Incomplete,
    Malformed,

    /// <summary>A tag runs past the bytes in hand: read on (never returned by <see cref="SheetScan.Run"/>).</summary>
    Partial,
}

/// <summary>What the scan found: the formula's cell, the rows MiniExcel would walk, the header row's columns.</summary>
internal readonly record struct SheetScanResult(SheetScanStop Stop, string? Cell = null, long Rows = 0, long Columns = 0);

/// <summary>
/// One pass over a sheet's XML as bytes, never parsed as a whole (a 100,000-row sheet takes a fraction of a second),
/// that stops at the first reason to refuse it. Every tag's name is looked at (with or without a prefix): text cannot
/// hide a tag, XML escapes "&lt;" inside values. It finds
/// <list type="bullet">
/// <item>a formula (<c>&lt;f&gt;</c>): its cached result may be stale, and cells that compute are how formula injection travels;</item>
/// <item>the rows MiniExcel will walk, counted as it counts them — a <c>&lt;row r="…"&gt;</c> after a gap makes it yield
/// every blank row in between — and the last row a <c>&lt;dimension&gt;</c> claims;</item>
/// <item>the header row's columns (by cell reference or by position, whichever is more), which size every row read;</item>
/// <item>more bytes than the part may hold, whatever its zip header said, and a sheet that stops before its end.</item>
/// </list>
/// Anything it cannot read with certainty (a non-UTF-8 sheet, an entity inside a reference, a tag too long to be
/// Excel's) refuses the file rather than guess, so MiniExcel never reads what this scan did not see.
/// </summary>
internal static class SheetScan
{
    /// <summary>The longest tag read whole (rows, cells, the dimension): Excel's are under 300 bytes.</summary>
    public const int MaxTag = 4096;

    public static SheetScanResult Run(Stream sheet, long maxBytes, long maxRows, long maxColumns)
    {
        var buffer = new byte[1 << 16];
        var state = new State { MaxRows = maxRows, MaxColumns = maxColumns };
        var kept = 0;
        long total = 0;
        var first = true;
        while (true)
        {
            var read = sheet.ReadAtLeast(buffer.AsSpan(kept), Math.Min(MaxTag, buffer.Length - kept), throwOnEndOfStream: false);
            total += read;
            if (total > maxBytes)
            {
                return new(SheetScanStop.TooLong);
            }
            var end = read == 0;
            var span = buffer.AsSpan(0, kept + read);
            if (first)
            {
                first = false;
                if (!IsUtf8(span))
                {
                    return new(SheetScanStop.Malformed);
                }
            }
            var at = 0;
            while (true)
            {
                var next = span[at..].IndexOf((byte)'<');
                if (next < 0)
                {
                    at = span.Length;
                    break;
                }
                var lt = at + next;
                var (stop, after) = Tag(span, lt, ref state);
                if (stop is null)
                {
                    at = after;
                    continue;
                }
                if (stop.Value.Stop != SheetScanStop.Partial)
                {
                    return stop.Value;
                }
                if (end)
                {
                    return new(SheetScanStop.Incomplete);
                }
                if (span.Length - lt > MaxTag)
                {
                    return new(SheetScanStop.Malformed);
                }
                at = lt; // a tag cut by the block's end: read it again with the next block
                break;
            }
            if (end)
            {
                return state.HeaderColumns > maxColumns ? new(SheetScanStop.TooManyColumns, Columns: state.HeaderColumns)
                    : state.Closed ? new(SheetScanStop.End, Rows: state.Rows) : new(SheetScanStop.Incomplete);
            }
            span[at..].CopyTo(buffer);
            kept = span.Length - at;
        }
    }

    private static readonly SheetScanResult Partial = new(SheetScanStop.Partial);

    private struct State
    {
        public long MaxRows;
        public long MaxColumns;
        public long RowIndex; // as MiniExcel keeps it: 0-based, -1 before the first row
        public long Rows; // rows MiniExcel yields, blank ones included
        public int RowElements;
        public long HeaderColumns;
        public long CellsInRow;
        public bool Closed;
        public byte[] LastCell; // the last cell's r="B2", for the message about a formula
        public int LastCellLength;

        public State()
        {
            RowIndex = -1;
            LastCell = new byte[16];
        }
    }

    /// <summary>Reads the tag at <paramref name="lt"/>: null and where it ends to go on, or why to stop.</summary>
    private static (SheetScanResult? Stop, int After) Tag(ReadOnlySpan<byte> span, int lt, ref State state)
    {
        var p = lt + 1;
        if (p >= span.Length)
        {
            return (Partial, 0);
        }
        var closing = span[p] == (byte)'/';
        if (closing)
        {
            p++;
        }
        var nameStart = p;
        while (p < span.Length && IsNameByte(span[p]))
        {
            p++;
        }
        if (p >= span.Length)
        {
            return (Partial, 0);
        }
        var name = span[nameStart..p];
        var colon = name.LastIndexOf((byte)':');
        var local = colon < 0 ? name : name[(colon + 1)..];
        if (closing)
        {
            if (local.SequenceEqual("worksheet"u8))
            {
                state.Closed = true;
            }
            else if (local.SequenceEqual("row"u8) && state.RowElements == 1 && state.HeaderColumns > state.MaxColumns)
            {
                return (new SheetScanResult(SheetScanStop.TooManyColumns, Columns: state.HeaderColumns), 0);
            }
            return (null, p);
        }
        if (local.SequenceEqual("f"u8))
        {
            return (new SheetScanResult(SheetScanStop.Formula, Cell: state.LastCellLength > 0 ? Encoding.ASCII.GetString(state.LastCell, 0, state.LastCellLength) : "?"), 0);
        }
        var isRow = local.SequenceEqual("row"u8);
        var isCell = !isRow && local.SequenceEqual("c"u8);
        var isDimension = !isRow && !isCell && local.SequenceEqual("dimension"u8);
        if (!isRow && !isCell && !isDimension)
        {
            return (null, p);
        }

        // Attributes, read properly: a value may hold '>' (only '<' must be escaped).
        ReadOnlySpan<byte> reference = default;
        var hasReference = false;
        int after;
        while (true)
        {
            while (p < span.Length && IsSpace(span[p]))
            {
                p++;
            }
            if (p >= span.Length)
            {
                return (Partial, 0);
            }
            if (span[p] == (byte)'>')
            {
                after = p + 1;
                break;
            }
            if (span[p] == (byte)'/')
            {
                if (p + 1 >= span.Length)
                {
                    return (Partial, 0);
                }
                if (span[p + 1] != (byte)'>')
                {
                    return (new SheetScanResult(SheetScanStop.Malformed), 0);
                }
                after = p + 2;
                break;
            }
            var attributeStart = p;
            while (p < span.Length && !IsSpace(span[p]) && span[p] is not ((byte)'=' or (byte)'>' or (byte)'/'))
            {
                p++;
            }
            var attribute = span[attributeStart..p];
            while (p < span.Length && IsSpace(span[p]))
            {
                p++;
            }
            if (p >= span.Length)
            {
                return (Partial, 0);
            }
            if (span[p] != (byte)'=')
            {
                return (new SheetScanResult(SheetScanStop.Malformed), 0);
            }
            p++;
            while (p < span.Length && IsSpace(span[p]))
            {
                p++;
            }
            if (p >= span.Length)
            {
                return (Partial, 0);
            }
            var quote = span[p];
            if (quote is not ((byte)'"' or (byte)'\''))
            {
                return (new SheetScanResult(SheetScanStop.Malformed), 0);
            }
            var close = span[(p + 1)..].IndexOf(quote);
            if (close < 0)
            {
                return (Partial, 0);
            }
            var value = span.Slice(p + 1, close);
            p += close + 2;
            if (attribute.SequenceEqual(isDimension ? "ref"u8 : "r"u8))
            {
                if (value.IndexOf((byte)'&') >= 0)
                {
                    return (new SheetScanResult(SheetScanStop.Malformed), 0); // an entity MiniExcel would decode and this scan would not
                }
                reference = value;
                hasReference = true;
            }
        }

        if (isDimension)
        {
            var last = reference.LastIndexOf((byte)':');
            var (_, claimed) = ParseReference(last < 0 ? reference : reference[(last + 1)..]);
            return claimed > state.MaxRows ? (new SheetScanResult(SheetScanStop.TooManyRows, Rows: claimed), 0) : (null, after);
        }
        if (isRow)
        {
            if (state.RowElements == 1 && state.HeaderColumns > state.MaxColumns)
            {
                return (new SheetScanResult(SheetScanStop.TooManyColumns, Columns: state.HeaderColumns), 0);
            }
            // MiniExcel: a row's index is its r (int.TryParse), else the one after the last; rows skipped between are yielded blank.
            var expected = state.RowIndex + 1;
            state.RowIndex = hasReference && int.TryParse(reference, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r - 1L : state.RowIndex + 1;
            state.Rows += (expected >= 0 && state.RowIndex > expected ? state.RowIndex - expected : 0) + 1;
            state.RowElements++;
            state.CellsInRow = 0;
            return state.Rows > state.MaxRows ? (new SheetScanResult(SheetScanStop.TooManyRows, Rows: state.Rows), 0) : (null, after);
        }
        state.LastCellLength = hasReference && reference.Length <= state.LastCell.Length ? reference.Length : 0;
        reference[..state.LastCellLength].CopyTo(state.LastCell);
        if (state.RowElements == 1)
        {
            state.CellsInRow++;
            var (column, _) = hasReference ? ParseReference(reference) : (0, 0);
            state.HeaderColumns = Math.Max(state.HeaderColumns, Math.Max(state.CellsInRow, column));
        }
        return (null, after);
    }

    /// <summary>"XFD1048576" → (16384, 1048576), letters in either case as MiniExcel reads them; each part saturates rather than wraps.</summary>
    private static (long Column, long Row) ParseReference(ReadOnlySpan<byte> reference)
    {
        long column = 0;
        var p = 0;
        while (p < reference.Length && (reference[p] | 0x20) is >= (byte)'a' and <= (byte)'z')
        {
            column = Math.Min(column * 26 + (reference[p] | 0x20) - 'a' + 1, int.MaxValue);
            p++;
        }
        long row = 0;
        while (p < reference.Length && reference[p] is >= (byte)'0' and <= (byte)'9')
        {
            row = Math.Min(row * 10 + reference[p] - '0', int.MaxValue);
            p++;
        }
        return (column, row);
    }

    /// <summary>
    /// Whether the sheet is UTF-8 (Excel's and MiniExcel's encoding): a UTF-16 sheet would hide every tag from a byte
    /// scan while XmlReader reads it happily.
    /// </summary>
    private static bool IsUtf8(ReadOnlySpan<byte> start)
    {
        if (start.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            start = start[3..];
        }
        if (start.Length < 2 || start[0] == 0 || start[1] == 0 || start[0] >= 0xFE)
        {
            return false;
        }
        if (!start.StartsWith("<?xml"u8))
        {
            return true;
        }
        var end = start.IndexOf("?>"u8);
        if (end < 0)
        {
            return false;
        }
        var declaration = start[..end];
        var encoding = declaration.IndexOf("encoding"u8);
        if (encoding < 0)
        {
            return true;
        }
        var value = declaration[(encoding + "encoding".Length)..].TrimStart(" \t\r\n="u8);
        if (value.Length == 0 || value[0] is not ((byte)'"' or (byte)'\''))
        {
            return false;
        }
        var close = value[1..].IndexOf(value[0]);
        return close >= 0 && Ascii.EqualsIgnoreCase(value.Slice(1, close), "utf-8"u8);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static bool IsNameByte(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
        or (byte)':' or (byte)'_' or (byte)'-' or (byte)'.' or >= 0x80;
}
