using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Common;
using FuzzySharp;
using FuzzySharp.PreProcess;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Importing;

/// <summary>A field an import row can fill: its key (the template's header), its names in both languages, and whether a row needs it.</summary>
public sealed record ImportTarget(string Key, string Zh, string En, bool Required, IReadOnlyList<string> Synonyms);

/// <summary>How a sheet's column found its field (issue 17): from most to least certain.</summary>
public enum ImportColumnMatch
{
    /// <summary>Matched nothing: the column is not read unless the user picks a field.</summary>
    None,

    /// <summary>The template's own header, in either language.</summary>
    Exact,

    /// <summary>A heading from the maintained synonym list (公司名称 → 客户名称).</summary>
    Synonym,

    /// <summary>A heading close enough to a field's name or synonym (FuzzySharp).</summary>
    Similar,

    /// <summary>The mapping the user confirmed for an earlier file with the same headings.</summary>
    Remembered,
}

/// <summary>One column of the uploaded sheet: its heading, a few of its values, and the field it was matched to.</summary>
public sealed record ImportSourceColumn(string Header, IReadOnlyList<string> Samples, string? Target, ImportColumnMatch Match);

/// <summary>
/// The mapping step's content (issue 17): which row holds the headings, each column with samples and its proposed field,
/// and the fields it may be mapped to. <see cref="NeedsReview"/> is false only for the template itself (headings exactly the
/// template's, on the first row), which goes straight to the check.
/// </summary>
public sealed record ImportColumns(Guid JobId, string FileName, int HeaderRow, IReadOnlyList<ImportSourceColumn> Columns, IReadOnlyList<ImportTarget> Targets)
{
    public IReadOnlyDictionary<string, string> Map => ImportColumnMapping.MapOf(Columns.Select(c => (c.Header, c.Target)));

    public IReadOnlyList<ImportTarget> Missing => ImportColumnMapping.Missing(Targets, Map);

    public bool NeedsReview => HeaderRow != 1 || Missing.Count > 0 || Columns.Any(c => c.Match != ImportColumnMatch.Exact);
}

/// <summary>
/// Matching a sheet's headings to the import's fields (issue 17), and the confirmed mappings remembered per set of headings
/// and kind of import, for everyone (a team shares its sheets). Matching goes from certain to fuzzy — exact header,
/// synonym, similar (FuzzySharp ratio ≥ <see cref="SimilarScore"/>) — and never gives one field two columns: a heading
/// several fields accept (联系电话: mobile, else landline) takes the first still free.
/// </summary>
public sealed partial class ImportColumnMapping : AuditableEntity
{
    public const int SimilarScore = 80;

    /// <summary>How many rows from the top the header row is looked for in (a title line or two above it is common).</summary>
    public const int HeaderSearchRows = 10;

    public ImportKind Kind { get; set; }

    /// <summary>A hash of the headings, in order and normalised (<see cref="SignatureOf"/>).</summary>
    public required string Signature { get; set; }

    /// <summary>The confirmed mapping as JSON: heading → field key, ignored columns left out.</summary>
    public required string Columns { get; set; }

    /// <summary>The confirmed value mapping as JSON (<see cref="ImportValueMap"/>); null when none was made.</summary>
    public string? Values { get; set; }

    /// <summary>Heading text as matched: half-width, lower case, without the required mark, brackets' content, spaces or colons.</summary>
    public static string Normalize(string header)
    {
        var text = ImportCleaning.Text(header.Replace('（', '(').Replace('）', ')')) ?? "";
        text = Bracketed().Replace(text, "");
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c) && c is not ('*' or '＊' or ':' or '：' or '_' or '-'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }
        return builder.ToString();
    }

    public static string SignatureOf(IEnumerable<string> headers) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', headers.Select(Normalize))))).ToLowerInvariant();

    /// <summary>Each heading's proposed field and how it was found; <paramref name="remembered"/> (a confirmed mapping of the same headings) wins.</summary>
    public static IReadOnlyList<(string Header, string? Target, ImportColumnMatch Match)> Propose(IReadOnlyList<string> headers, IReadOnlyList<ImportTarget> targets,
        IReadOnlyDictionary<string, string>? remembered = null)
    {
        if (remembered is not null && remembered.Values.All(t => targets.Any(x => x.Key == t)))
        {
            return headers.Select(h => remembered.TryGetValue(h, out var t) ? (h, (string?)t, ImportColumnMatch.Remembered) : (h, null, ImportColumnMatch.None)).ToList();
        }
        var result = headers.Select(h => (Header: h, Target: (string?)null, Match: ImportColumnMatch.None)).ToArray();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        var normalized = headers.Select(Normalize).ToArray();

        void Pass(ImportColumnMatch match, Func<string, ImportTarget, bool> accepts)
        {
            for (var i = 0; i < result.Length; i++)
            {
                if (result[i].Target is null && normalized[i].Length > 0 && targets.FirstOrDefault(t => !claimed.Contains(t.Key) && accepts(normalized[i], t)) is { } target)
                {
                    result[i] = (result[i].Header, target.Key, match);
                    claimed.Add(target.Key);
                }
            }
        }

        Pass(ImportColumnMatch.Exact, (h, t) => h == Normalize(t.Key) || h == Normalize(t.Zh) || h == Normalize(t.En));
        Pass(ImportColumnMatch.Synonym, (h, t) => t.Synonyms.Any(s => Normalize(s) == h));
        for (var i = 0; i < result.Length; i++)
        {
            if (result[i].Target is not null || normalized[i].Length == 0)
            {
                continue;
            }
            var best = targets.Where(t => !claimed.Contains(t.Key))
                .Select(t => (Target: t, Score: new[] { t.Key, t.Zh, t.En }.Concat(t.Synonyms).Max(s => Fuzz.Ratio(normalized[i], Normalize(s), PreprocessMode.None))))
                .Where(s => s.Score >= SimilarScore)
                .OrderByDescending(s => s.Score).FirstOrDefault();
            if (best.Target is not null)
            {
                result[i] = (result[i].Header, best.Target.Key, ImportColumnMatch.Similar);
                claimed.Add(best.Target.Key);
            }
        }
        return result;
    }

    /// <summary>
    /// The row (1-based, among the first <see cref="HeaderSearchRows"/>) that holds the headings: the one whose cells match the
    /// most fields exactly or by synonym; the first row when none matches any.
    /// </summary>
    public static int FindHeaderRow(IReadOnlyList<IReadOnlyList<string>> topRows, IReadOnlyList<ImportTarget> targets)
    {
        var best = (Row: 1, Score: 0);
        for (var i = 0; i < topRows.Count && i < HeaderSearchRows; i++)
        {
            var cells = topRows[i].Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
            var score = Propose(cells, targets).Count(p => p.Match is ImportColumnMatch.Exact or ImportColumnMatch.Synonym);
            if (score > best.Score)
            {
                best = (i + 1, score);
            }
        }
        return best.Row;
    }

    /// <summary>A mapping as heading → field, ignored headings left out.</summary>
    public static IReadOnlyDictionary<string, string> MapOf(IEnumerable<(string Header, string? Target)> columns) =>
        columns.Where(c => c.Target is not null).ToDictionary(c => c.Header, c => c.Target!, StringComparer.Ordinal);

    /// <summary>The required fields no column is mapped to.</summary>
    public static IReadOnlyList<ImportTarget> Missing(IReadOnlyList<ImportTarget> targets, IReadOnlyDictionary<string, string> map)
    {
        var mapped = map.Values.ToHashSet(StringComparer.Ordinal);
        return targets.Where(t => t.Required && !mapped.Contains(t.Key)).ToList();
    }

    public static string ToJson(IReadOnlyDictionary<string, string> map) => JsonSerializer.Serialize(map);

    /// <summary>A job's columns as <see cref="ImportJob.ColumnMap"/> keeps them: every heading in the sheet's order, with its field or none.</summary>
    public static string JobJson(IReadOnlyList<string> headings, IReadOnlyDictionary<string, string> map) =>
        JsonSerializer.Serialize(headings.Select(h => new JobColumn(h, map.GetValueOrDefault(h))).ToList());

    /// <summary>The headings and mapping <see cref="JobJson"/> kept; null for a job checked before mappings were kept.</summary>
    public static (IReadOnlyList<string> Headings, IReadOnlyDictionary<string, string> Map)? FromJobJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        var columns = JsonSerializer.Deserialize<List<JobColumn>>(json)!;
        return (columns.Select(c => c.Heading).ToList(), MapOf(columns.Select(c => (c.Heading, c.Field))));
    }

    private sealed record JobColumn(string Heading, string? Field);

    public static IReadOnlyDictionary<string, string>? FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Bracketed();
}
