using CrmBlazor.Domain.Dictionaries;

namespace CrmBlazor.Domain.Importing;

/// <summary>A dictionary column's cell, as every import reads it: the Chinese label, the English label or the code of an active item.</summary>
public static class DictionaryCells
{
    /// <summary>
    /// The code of a coded column's cell through the user's value mapping (issue 17): a value the user mapped becomes the
    /// chosen item (while that item is still active); any other is read as <see cref="Code(ImportRow, string, string, IEnumerable{DictionaryItem}, string?, Dictionary{ValueTuple{DictionaryKind, string}, string})"/>
    /// reads it, and one not allowed is counted in <paramref name="tally"/> for the value-mapping step.
    /// </summary>
    public static string? Code(ImportRow row, ImportValueColumn column, IReadOnlyList<DictionaryItem> items, string? value, Dictionary<(DictionaryKind, string), string> known,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> valueMap, ImportValueTally tally)
    {
        if (value is null)
        {
            return null;
        }
        if (valueMap.TryGetValue(column.Column, out var chosen) && chosen.TryGetValue(value, out var mapped) && items.Any(i => i.Code == mapped))
        {
            row.Cleaned(ImportCleaningKind.ValueMapped);
            return mapped;
        }
        var code = Code(row, column.Zh, column.En, items, value, known);
        if (code is null)
        {
            tally.Unknown(column, value, items);
        }
        return code;
    }

    public static ImportValueColumn Column(string key, string zh, string en, DictionaryKind kind, IEnumerable<DictionaryItem> items) =>
        new(key, zh, en, kind, items.Select(i => new ImportValueChoice(i.Code, i.LabelZh, i.LabelEn)).ToList());

    /// <summary>
    /// The code <paramref name="value"/> names among <paramref name="items"/> (remembered in <paramref name="known"/>); otherwise a
    /// problem on the row, with the one or two nearest labels as suggestions.
    /// </summary>
    public static string? Code(ImportRow row, string column, string columnEn, IEnumerable<DictionaryItem> items, string? value, Dictionary<(DictionaryKind, string), string> known)
    {
        if (value is null)
        {
            return null;
        }
        var list = items as IReadOnlyList<DictionaryItem> ?? items.ToList(); // a cell of every row: no copy of a list already made
        var kind = list.Count > 0 ? list[0].Kind : default;
        if (list.Count > 0 && known.TryGetValue((kind, value), out var code))
        {
            return code;
        }
        var match = list.FirstOrDefault(d => string.Equals(d.LabelZh, value, StringComparison.OrdinalIgnoreCase)
            || string.Equals(d.LabelEn, value, StringComparison.OrdinalIgnoreCase) || string.Equals(d.Code, value, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            known[(kind, value)] = match.Code;
            return match.Code;
        }
        var suggestions = CustomerRows.Suggest(value, list);
        row.Problems.Add(suggestions.Count == 0
            ? new(column, ImportProblemKind.UnknownValue, $"{column}“{value}”不存在：可选值见模板的“可选值”工作表", $"{columnEn} \"{value}\" does not exist: see the template's list of allowed values")
            : new(column, ImportProblemKind.UnknownValue, $"{column}“{value}”不存在，请选择{string.Join("或", suggestions.Select(s => $"“{s.LabelZh}”"))}",
                $"{columnEn} \"{value}\" does not exist: choose {string.Join(" or ", suggestions.Select(s => $"\"{s.LabelEn}\""))}"));
        return null;
    }
}
