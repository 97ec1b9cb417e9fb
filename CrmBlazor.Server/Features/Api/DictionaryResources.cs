using CrmBlazor.Domain.Dictionaries;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Api;

/// <summary>A dictionary: <paramref name="Kind"/> as the URL takes it (<c>industry</c>, <c>interactionType</c> …), its name in the caller's language.</summary>
public sealed record DictionaryKindResource(string Kind, string Name)
{
    public static DictionaryKindResource Of(DictionaryKind kind, IStringLocalizer texts) =>
        new(JsonName(kind), texts[$"Dictionary.Kind.{kind}"].Value);

    /// <summary>A kind by its name in any case; numbers are not names.</summary>
    public static DictionaryKind? Parse(string kind) =>
        Enum.GetValues<DictionaryKind>().Where(k => string.Equals(k.ToString(), kind, StringComparison.OrdinalIgnoreCase)).Select(k => (DictionaryKind?)k).FirstOrDefault();

    private static string JsonName(DictionaryKind kind) => char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
}

public sealed record DictionaryKindListResource(IReadOnlyList<DictionaryKindResource> Items);

/// <summary>One dictionary's items in order, inactive ones too (<c>isActive: false</c>: they label old records, new ones may not choose them).</summary>
public sealed record DictionaryResource(string Kind, string Name, IReadOnlyList<DictionaryItemResource> Items);

/// <summary>An item: the <paramref name="Code"/> records store and the API takes, its Chinese and English labels.</summary>
public sealed record DictionaryItemResource(string Code, string LabelZh, string LabelEn, bool IsActive, int Order);
