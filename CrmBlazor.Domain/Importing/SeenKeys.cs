using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// The values one column of a sheet has had so far, each with the row it first came in: how a check finds a value
/// repeated within the file ("repeats row N").
/// <para>
/// A value is kept as its 64-bit hash, so no string stays alive for it. A false "repeats row N" needs two of the
/// file's values to collide in 64 bits: about 1 in 10^9 for a 100,000-row file.
/// </para>
/// <para>
/// The hashes and rows are two arrays of an open-addressed table (12 bytes a slot, at most three quarters full). It is
/// sized once, when the first value comes, for <c>expected</c> values: the sheet's row count, which no column can
/// exceed. A 1,000,000-row sheet costs ~16 MB a column, a 200,000-row one (the default limit) ~3 MB, even for a column
/// with a single value. A <see cref="Dictionary{TKey,TValue}"/> took 28 bytes a value at up to 1.5× the count, and held
/// the old and new arrays at once while it grew: 89 MB for two columns (README, "Customer import"). The table still
/// grows, by doubling, if more values come than expected.
/// </para>
/// <para>One thread at a time: the row reader's (during a run, <see cref="ReadAhead"/>'s).</para>
/// </summary>
internal sealed class SeenKeys(int expected)
{
    private ulong[] _hashes = [];
    private int[] _rows = []; // 0: an empty slot (sheet rows start at 1)
    private int _count;

    /// <summary>How many distinct values were seen.</summary>
    public int Count => _count;

    /// <summary>The row <paramref name="value"/> first came in; null when it is new, and it is then kept as <paramref name="row"/>'s.</summary>
    public int? FirstRow(string value, int row)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, 1);
        if (_count >= (long)_rows.Length * 3 / 4)
        {
            Grow();
        }
        var hash = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(value.AsSpan()));
        var slot = Home(hash, _rows.Length);
        while (_rows[slot] != 0)
        {
            if (_hashes[slot] == hash)
            {
                return _rows[slot];
            }
            slot = slot + 1 == _rows.Length ? 0 : slot + 1;
        }
        (_hashes[slot], _rows[slot]) = (hash, row);
        _count++;
        return null;
    }

    /// <summary>A hash's first slot: its place in [0, <paramref name="slots"/>) by multiplication, so the table need not be a power of two.</summary>
    private static int Home(ulong hash, int slots) => (int)Math.BigMul(hash, (ulong)slots, out _);

    private void Grow()
    {
        var slots = _rows.Length == 0 ? Math.Max(16, (int)Math.Min(Array.MaxLength, expected * 4L / 3 + 1)) : _rows.Length * 2;
        var (hashes, rows) = (_hashes, _rows);
        (_hashes, _rows) = (new ulong[slots], new int[slots]);
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] != 0)
            {
                var slot = Home(hashes[i], slots);
                while (_rows[slot] != 0)
                {
                    slot = slot + 1 == slots ? 0 : slot + 1;
                }
                (_hashes[slot], _rows[slot]) = (hashes[i], rows[i]);
            }
        }
    }
}
