using System.Globalization;

namespace CrmBlazor.Domain.Backups;

/// <summary>A backup file in <c>Backup:Path</c> and the UTC instant its name says it was taken.</summary>
public sealed record BackupFile(string Name, DateTime TakenAtUtc, long SizeBytes);

/// <summary>
/// The names backup files get, <c>crmblazor-20261201-020000Z.db</c> (the UTC instant: unambiguous on any server and across
/// daylight-saving changes; the panel shows it in the company zone), and the retention that deletes only files with
/// such a name — nothing else an operator keeps in the folder.
/// </summary>
public static class BackupFiles
{
    private const string Prefix = "crmblazor-";
    private const string Suffix = "Z.db";
    private const string Stamp = "yyyyMMdd-HHmmss";

    public static string NameFor(DateTime utc) => Prefix + utc.ToString(Stamp, CultureInfo.InvariantCulture) + Suffix;

    /// <summary>Whether <paramref name="name"/> is one of ours, and when it was taken.</summary>
    public static bool TryParse(string name, out DateTime takenAtUtc)
    {
        takenAtUtc = default;
        return name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(Suffix, StringComparison.Ordinal)
            && name.Length == Prefix.Length + Stamp.Length + Suffix.Length
            && DateTime.TryParseExact(name.AsSpan(Prefix.Length, Stamp.Length), Stamp, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out takenAtUtc);
    }

    /// <summary>Our backup files in <paramref name="folder"/>, newest first.</summary>
    public static IReadOnlyList<BackupFile> In(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return new DirectoryInfo(folder).EnumerateFiles("*.db")
            .Select(f => TryParse(f.Name, out var taken) ? new BackupFile(f.Name, taken, f.Length) : null)
            .OfType<BackupFile>()
            .OrderByDescending(f => f.TakenAtUtc)
            .ToList();
    }

    /// <summary>Deletes our backup files taken more than <paramref name="keepDays"/> days before <paramref name="nowUtc"/>; returns their names.</summary>
    public static IReadOnlyList<string> DeleteExpired(string folder, DateTime nowUtc, int keepDays)
    {
        var before = nowUtc.AddDays(-keepDays);
        var expired = In(folder).Where(f => f.TakenAtUtc < before).Select(f => f.Name).ToList();
        foreach (var name in expired)
        {
            File.Delete(System.IO.Path.Combine(folder, name));
        }
        return expired;
    }
}
