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
/// <item>the header row's columns (by cell reference or by position, whichever is more), which size every row read — the widest of
/// the first rows, any of which may be the header row under a title line;</item>
/// <item>more bytes than the part may hold, whatever its zip header said, and a sheet that stops before its end.</item>
/// </list>
/// Anything it cannot read with certainty (a non-UTF-8 sheet, an entity inside a reference, a tag too long to be
/// Excel's) refuses the file rather than guess, so MiniExcel never reads what this scan did not see.
/// </summary>
internal static class SheetScan
{
    /// <summary>The longest tag read whole (rows, cells, the dimension): Excel's are under 300 bytes.</summary>
    public const int MaxTag = 4096;

    private const int Continue = 0;
    private const int Partial = -1;
    private const int Stop = -2;

    public static SheetScanResult Run(Stream sheet, long maxBytes, long maxRows, long maxColumns)
    {
        var buffer = new byte[1 << 16];
        var state = new State(maxRows, maxColumns);
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
                var after = Tag(span, lt, ref state);
                if (after > Continue)
                {
                    at = after;
                    continue;
                }
                if (after == Stop)
                {
                    return state.Result;
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

    private struct State(long maxRows, long maxColumns)
    {
        public readonly long MaxRows = maxRows;
        public readonly long MaxColumns = maxColumns;
        public long RowIndex = -1; // as MiniExcel keeps it: 0-based, -1 before the first row
        public long Rows; // rows MiniExcel yields, blank ones included
        public int RowElements;
        public long HeaderColumns;
        public long CellsInRow;
        public bool Closed;
        public readonly byte[] LastCell = new byte[16]; // the last cell's r="B2", for the message about a formula
        public int LastCellLength;
        public SheetScanResult Result;

        /// <summary>In the rows the header row may be (<see cref="ImportColumnMapping.HeaderSearchRows"/>): each sizes every row read if it is the one.</summary>
        public readonly bool InHeaderSearch => RowElements is >= 1 and <= ImportColumnMapping.HeaderSearchRows;

        public int Refuse(SheetScanResult result)
        {
            Result = result;
            return Stop;
        }
    }

    /// <summary>
    /// Reads the tag at <paramref name="lt"/>: where to go on, <see cref="Partial"/> when it runs past the bytes in
    /// hand, or <see cref="Stop"/> with the reason in <see cref="State.Result"/>. A tag whose attributes are not needed
    /// is left after its name: attribute values cannot hold '&lt;', so the next '&lt;' starts the next tag.
    /// </summary>
    private static int Tag(ReadOnlySpan<byte> span, int lt, ref State state)
    {
        var p = lt + 1;
        if (p >= span.Length)
        {
            return Partial;
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
            return Partial;
        }
        var name = span[nameStart..p];
        var colon = name.LastIndexOf((byte)':');
        var local = colon < 0 ? name : name[(colon + 1)..];
        if (local.Length is 0 or > 9)
        {
            return p;
        }
        if (closing)
        {
            if (local.SequenceEqual("worksheet"u8))
            {
                state.Closed = true;
            }
            else if (state.InHeaderSearch && state.HeaderColumns > state.MaxColumns && local.SequenceEqual("row"u8))
            {
                return state.Refuse(new(SheetScanStop.TooManyColumns, Columns: state.HeaderColumns));
            }
            return p;
        }
        if (local.Length == 1)
        {
            return local[0] switch
            {
                (byte)'f' => state.Refuse(new(SheetScanStop.Formula, Cell: state.LastCellLength > 0 ? Encoding.ASCII.GetString(state.LastCell, 0, state.LastCellLength) : "?")),
                (byte)'c' when state.InHeaderSearch => HeaderCell(span, p, ref state),
                (byte)'c' => DataCell(span, p, ref state),
                _ => p,
            };
        }
        if (local.SequenceEqual("row"u8))
        {
            return Row(span, p, ref state);
        }
        return local.SequenceEqual("dimension"u8) ? Dimension(span, p, ref state) : p;
    }

    /// <summary>MiniExcel's count: a row's index is its r (int.TryParse), else the one after the last; the rows skipped between are yielded blank.</summary>
    private static int Row(ReadOnlySpan<byte> span, int p, ref State state)
    {
        var after = Attribute(span, p, "r"u8, out var reference, out var found);
        if (after <= Continue)
        {
            return after == Stop ? state.Refuse(new(SheetScanStop.Malformed)) : after;
        }
        if (state.InHeaderSearch && state.HeaderColumns > state.MaxColumns)
        {
            return state.Refuse(new(SheetScanStop.TooManyColumns, Columns: state.HeaderColumns));
        }
        var expected = state.RowIndex + 1;
        state.RowIndex = found && int.TryParse(reference, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r - 1L : state.RowIndex + 1;
        state.Rows += (expected >= 0 && state.RowIndex > expected ? state.RowIndex - expected : 0) + 1;
        state.RowElements++;
        state.CellsInRow = 0;
        return state.Rows > state.MaxRows ? state.Refuse(new(SheetScanStop.TooManyRows, Rows: state.Rows)) : after;
    }

    /// <summary>A header cell widens the header to its column, by reference or by position, whichever is more.</summary>
    private static int HeaderCell(ReadOnlySpan<byte> span, int p, ref State state)
    {
        var after = Attribute(span, p, "r"u8, out var reference, out var found);
        if (after <= Continue)
        {
            return after == Stop ? state.Refuse(new(SheetScanStop.Malformed)) : after;
        }
        Remember(reference, found, ref state);
        state.CellsInRow++;
        var (column, _) = found ? ParseReference(reference) : (0, 0);
        state.HeaderColumns = Math.Max(state.HeaderColumns, Math.Max(state.CellsInRow, column));
        return after;
    }

    /// <summary>A data cell only names itself for a formula's message: a quick look for r="…" up to the tag's end.</summary>
    private static int DataCell(ReadOnlySpan<byte> span, int p, ref State state)
    {
        var close = span[p..].IndexOf((byte)'>');
        if (close < 0)
        {
            return Partial;
        }
        var tag = span.Slice(p, close);
        var r = tag.IndexOf(" r=\""u8);
        var value = r < 0 ? default : tag[(r + 4)..];
        var quote = value.IndexOf((byte)'"');
        Remember(quote < 0 ? default : value[..quote], quote >= 0, ref state);
        return p + close + 1;
    }

    private static int Dimension(ReadOnlySpan<byte> span, int p, ref State state)
    {
        var after = Attribute(span, p, "ref"u8, out var reference, out _);
        if (after <= Continue)
        {
            return after == Stop ? state.Refuse(new(SheetScanStop.Malformed)) : after;
        }
        var last = reference.LastIndexOf((byte)':');
        var (_, claimed) = ParseReference(last < 0 ? reference : reference[(last + 1)..]);
        return claimed > state.MaxRows ? state.Refuse(new(SheetScanStop.TooManyRows, Rows: claimed)) : after;
    }

    private static void Remember(ReadOnlySpan<byte> reference, bool found, ref State state)
    {
        state.LastCellLength = found && reference.Length <= state.LastCell.Length ? reference.Length : 0;
        reference[..state.LastCellLength].CopyTo(state.LastCell);
    }

    /// <summary>
    /// The attributes from <paramref name="p"/> to the tag's end, read properly (a value may hold '&gt;'); the value of
    /// <paramref name="wanted"/>. Returns where the tag ends, <see cref="Partial"/>, or <see cref="Stop"/> for what
    /// this scan will not guess at: broken syntax, or an entity in the value (MiniExcel would decode it, this scan would not).
    /// </summary>
    private static int Attribute(ReadOnlySpan<byte> span, int p, ReadOnlySpan<byte> wanted, out ReadOnlySpan<byte> value, out bool found)
    {
        value = default;
        found = false;
        while (true)
        {
            while (p < span.Length && IsSpace(span[p]))
            {
                p++;
            }
            if (p >= span.Length)
            {
                return Partial;
            }
            if (span[p] == (byte)'>')
            {
                return p + 1;
            }
            if (span[p] == (byte)'/')
            {
                return p + 1 >= span.Length ? Partial : span[p + 1] == (byte)'>' ? p + 2 : Stop;
            }
            var nameStart = p;
            while (p < span.Length && !IsSpace(span[p]) && span[p] is not ((byte)'=' or (byte)'>' or (byte)'/'))
            {
                p++;
            }
            var name = span[nameStart..p];
            while (p < span.Length && IsSpace(span[p]))
            {
                p++;
            }
            if (p >= span.Length)
            {
                return Partial;
            }
            if (span[p] != (byte)'=')
            {
                return Stop;
            }
            p++;
            while (p < span.Length && IsSpace(span[p]))
            {
                p++;
            }
            if (p >= span.Length)
            {
                return Partial;
            }
            var quote = span[p];
            if (quote is not ((byte)'"' or (byte)'\''))
            {
                return Stop;
            }
            var close = span[(p + 1)..].IndexOf(quote);
            if (close < 0)
            {
                return Partial;
            }
            if (name.SequenceEqual(wanted))
            {
                value = span.Slice(p + 1, close);
                found = true;
                if (value.IndexOf((byte)'&') >= 0)
                {
                    return Stop;
                }
            }
            p += close + 2;
        }
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
