using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Dictionaries;

namespace CrmBlazor.Domain.Importing;

/// <summary>A value a coded column may hold: the code stored, and its labels.</summary>
public sealed record ImportValueChoice(string Code, string Zh, string En);

/// <summary>A coded column of the import (issue 17's value mapping): its field, its list (a dictionary an Admin may add to, or a custom select's options).</summary>
public sealed record ImportValueColumn(string Column, string Zh, string En, DictionaryKind? Dictionary, IReadOnlyList<ImportValueChoice> Choices);

/// <summary>One distinct value of a coded column that its list does not hold: how many rows have it, and the nearest allowed values.</summary>
public sealed record ImportUnknownValue(string Column, string Value, int Rows, IReadOnlyList<ImportValueChoice> Suggestions);

/// <summary>
/// The distinct values a check found outside their lists (issue 17), each once with its row count and suggestions: the
/// value synonyms teams use (信息技术 → 软件与信息服务, 沉睡 → 沉默), a size's head count placed in its range (500-1000人 →
/// 500人以上), then FuzzySharp. At most <see cref="MaxPerColumn"/> distinct values a column are listed; the rest still count as row problems.
/// </summary>
public sealed partial class ImportValueTally
{
    public const int MaxPerColumn = 100;

    /// <summary>Words teams write for the seeded dictionary items, by kind and code.</summary>
    private static readonly Dictionary<(DictionaryKind Kind, string Code), string[]> Synonyms = new()
    {
        [(DictionaryKind.Industry, "software")] = ["信息技术", "IT", "软件", "计算机", "信息服务", "软件开发", "信息技术服务"],
        [(DictionaryKind.Industry, "manufacturing")] = ["制造", "工业", "生产制造", "加工制造"],
        [(DictionaryKind.Industry, "finance")] = ["金融", "银行", "保险", "证券"],
        [(DictionaryKind.Industry, "healthcare")] = ["医疗", "医药", "医院", "生物医药"],
        [(DictionaryKind.Industry, "education")] = ["教育培训", "培训", "学校"],
        [(DictionaryKind.Industry, "logistics")] = ["物流", "运输", "快递", "仓储"],
        [(DictionaryKind.Industry, "retail")] = ["零售", "商超", "电商", "批发零售"],
        [(DictionaryKind.Industry, "construction")] = ["建筑", "工程", "房地产", "建筑工程"],
        [(DictionaryKind.Industry, "energy")] = ["电力", "石油", "新能源", "能源化工"],
        [(DictionaryKind.CustomerStatus, CustomerStatuses.Silent)] = ["沉睡", "休眠", "不活跃", "睡眠", "沉睡客户"],
        [(DictionaryKind.CustomerStatus, CustomerStatuses.Active)] = ["活跃客户", "正常"],
        [(DictionaryKind.CustomerStatus, CustomerStatuses.Cooperating)] = ["合作", "签约", "已签约", "成交", "已成交"],
        [(DictionaryKind.CustomerStatus, CustomerStatuses.Lost)] = ["丢失", "流失客户", "已流失"],
        [(DictionaryKind.CustomerStatus, CustomerStatuses.New)] = ["新", "潜在", "意向", "新增"],
    };

    /// <summary>Words teams write for the default tiers (a renamed tier is still matched by its name).</summary>
    private static readonly Dictionary<string, string[]> TierWords = new()
    {
        ["S"] = ["战略", "战略级", "核心客户", "VIP", "VIP客户", "KA", "大客户", "顶级客户"],
        ["A"] = ["重点", "重要客户", "重要", "优质客户", "优质"],
        ["B"] = ["潜力", "成长客户", "有潜力"],
        ["C"] = ["普通", "一般客户", "一般", "小客户", "常规客户"],
    };

    private readonly Dictionary<string, ImportValueColumn> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), IReadOnlyList<ImportValueChoice>> _suggestions = [];

    /// <summary>Counts <paramref name="value"/> of <paramref name="column"/> as not allowed; its suggestions are worked out once.</summary>
    public void Unknown(ImportValueColumn column, string value, IReadOnlyList<DictionaryItem> items)
    {
        _columns.TryAdd(column.Column, column);
        if (!_counts.TryGetValue(column.Column, out var counts))
        {
            _counts[column.Column] = counts = new(StringComparer.Ordinal);
        }
        if (counts.TryGetValue(value, out var count))
        {
            counts[value] = count + 1;
        }
        else if (counts.Count < MaxPerColumn)
        {
            counts[value] = 1;
            _suggestions[(column.Column, value)] = Suggest(column, value, items);
        }
    }

    public IReadOnlyList<ImportUnknownValue> Values => _counts
        .SelectMany(c => c.Value.Select(v => new ImportUnknownValue(c.Key, v.Key, v.Value, _suggestions[(c.Key, v.Key)])))
        .OrderBy(v => v.Column, StringComparer.Ordinal).ThenByDescending(v => v.Rows).ToList();

    public IReadOnlyList<ImportValueColumn> Columns => _columns.Values.Where(c => _counts.ContainsKey(c.Column)).ToList();

    /// <summary>
    /// A sheet's value as a new dictionary item (an Admin adds it from the value step): its code derived from the text, so
    /// adding it twice is refused as a taken code; the English label is the same text until refined on the dictionary page.
    /// </summary>
    public static DictionaryItemInput NewItem(string value, int order) =>
        new("import-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)))[..8].ToLowerInvariant(), value, value, order);

    /// <summary>Up to two suggestions: the synonym list's, the size range holding the head count, then the nearest labels.</summary>
    public static IReadOnlyList<ImportValueChoice> Suggest(ImportValueColumn column, string value, IReadOnlyList<DictionaryItem> items)
    {
        var found = new List<ImportValueChoice>();
        void Add(string code)
        {
            if (column.Choices.FirstOrDefault(c => c.Code == code) is { } choice && !found.Contains(choice))
            {
                found.Add(choice);
            }
        }
        var normalized = value.Trim().ToLowerInvariant();
        foreach (var item in items.Where(i => Synonyms.TryGetValue((i.Kind, i.Code), out var words) && words.Any(w => w.ToLowerInvariant() == normalized)))
        {
            Add(item.Code);
        }
        if (column.Column == CustomerRows.TierHeader)
        {
            foreach (var (code, words) in TierWords.Where(t => t.Value.Any(w => w.ToLowerInvariant() == normalized)))
            {
                Add(code);
            }
        }
        if (column.Dictionary == DictionaryKind.CompanySize && HeadCount(value) is { } heads)
        {
            foreach (var item in items.Where(i => Range(i.LabelZh) is { } r && heads >= r.Low && heads < r.High))
            {
                Add(item.Code);
            }
        }
        if (items.Count > 0)
        {
            foreach (var item in CustomerRows.Suggest(value, items))
            {
                Add(item.Code);
            }
        }
        else
        {
            foreach (var choice in column.Choices.Select(c => (Choice: c, Score: FuzzySharp.Fuzz.Ratio(normalized, c.Zh.ToLowerInvariant())))
                .Where(c => c.Score >= CustomerRows.SuggestionScore).OrderByDescending(c => c.Score).Select(c => c.Choice))
            {
                Add(choice.Code);
            }
        }
        return found.Take(2).ToList();
    }

    /// <summary>A head count a size cell means: the middle of "500-1000人", just past "1000人以上", just under "50人以下".</summary>
    private static decimal? HeadCount(string value)
    {
        var numbers = Numbers().Matches(value).Select(m => decimal.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        return numbers.Count switch
        {
            0 => null,
            1 when value.Contains("以下", StringComparison.Ordinal) || value.Contains('<') || value.Contains("少于", StringComparison.Ordinal) => numbers[0] - 1,
            1 when value.Contains("以上", StringComparison.Ordinal) || value.Contains('+') || value.Contains("多于", StringComparison.Ordinal) => numbers[0] + 1,
            1 => numbers[0],
            _ => (numbers[0] + numbers[1]) / 2,
        };
    }

    /// <summary>The head counts a size label covers: "50人以下" [0, 50), "50–200人" [50, 200), "500人以上" [500, ∞).</summary>
    private static (decimal Low, decimal High)? Range(string label)
    {
        var numbers = Numbers().Matches(label).Select(m => decimal.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();
        return numbers.Count switch
        {
            1 when label.Contains("以下", StringComparison.Ordinal) => (0, numbers[0]),
            1 when label.Contains("以上", StringComparison.Ordinal) => (numbers[0], decimal.MaxValue),
            2 => (numbers[0], numbers[1]),
            _ => null,
        };
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Numbers();
}

/// <summary>A value mapping as the job and the remembered mapping keep it: field key → (value as written → code).</summary>
public static class ImportValueMap
{
    public static string? ToJson(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? map) =>
        map is null || map.Count == 0 ? null : JsonSerializer.Serialize(map.ToDictionary(m => m.Key, m => m.Value.ToDictionary(v => v.Key, v => v.Value)));

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? new Dictionary<string, IReadOnlyDictionary<string, string>>()
            : JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(json)!.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, string>)m.Value);

    /// <summary>The choices of <paramref name="given"/> laid over <paramref name="earlier"/>, value by value.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Merge(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> earlier,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> given)
    {
        var merged = earlier.ToDictionary(m => m.Key, m => m.Value.ToDictionary(v => v.Key, v => v.Value));
        foreach (var (column, values) in given)
        {
            if (!merged.TryGetValue(column, out var into))
            {
                merged[column] = into = [];
            }
            foreach (var (value, code) in values)
            {
                into[value] = code;
            }
        }
        return merged.Where(m => m.Value.Count > 0).ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, string>)m.Value);
    }
}
