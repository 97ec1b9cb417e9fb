using System.Globalization;
using System.Text;
using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// <see cref="CustomerSearch.Normalize"/> skips ICU's NFKC for text it cannot change (ASCII and CJK unified ideographs); every
/// search key and duplicate check goes through it, so it must give what NFKC would have, for that text and for the rest.
/// </summary>
public sealed class SearchNormalizeTests
{
    public static TheoryData<string> Writings => new()
    {
        "杭州云帆网络科技有限公司",
        "Acme Trading Co., Ltd.",
        "ZHANG.Wei+crm@Example.COM",
        "138 0013 8000",
        "CRM2026-000123 / C001_a+b",
        "\u3400\u3401 扩展A区",        // CJK extension A: stable
        "ＡＢＣ１２３＠ｅｘａｍｐｌｅ．ｃｏｍ", // full-width: folded
        "杭州　云帆",                  // ideographic space
        "\uF900\uF901\uF902",        // CJK compatibility ideographs (U+F900…): NFKC maps them to unified ones
        "ｶﾀｶﾅ",                        // half-width katakana: composed to full width
        "Cafe\u0301",                  // e + combining acute: composed
        "①②③ ㈱ ℡",                   // enclosed and compatibility symbols
        "Ⅻ ﬁ ㎏",
    };

    [Theory]
    [MemberData(nameof(Writings))]
    public void Normalize_gives_what_NFKC_folding_gives(string value)
    {
        Assert.Equal(ByIcu(value), CustomerSearch.Normalize(value));
    }

    [Fact]
    public void Only_ASCII_and_unified_ideographs_skip_NFKC()
    {
        Assert.True(CustomerSearch.IsStableUnderFormKC("杭州云帆网络科技 Acme-01@x.cn"));
        Assert.True(CustomerSearch.IsStableUnderFormKC("\u3400\u4DBF\u4E00\u9FFF"));
        Assert.False(CustomerSearch.IsStableUnderFormKC("ＡＢＣ"));
        Assert.False(CustomerSearch.IsStableUnderFormKC("\uF900"));
        Assert.False(CustomerSearch.IsStableUnderFormKC("Cafe\u0301"));
        Assert.False(CustomerSearch.IsStableUnderFormKC("Caf\u00E9"));
        Assert.False(CustomerSearch.IsStableUnderFormKC("杭州　云帆"));
    }

    /// <summary>The rule as it was before the shortcut: NFKC always, lower case, letters, digits and a few signs kept.</summary>
    private static string ByIcu(string value)
    {
        var builder = new StringBuilder();
        foreach (var ch in value.Normalize(NormalizationForm.FormKC).ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(ch) || ch is '@' or '.' or '+' or '-' or '_' || CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.OtherLetter)
            {
                builder.Append(ch);
            }
        }
        return builder.ToString();
    }
}
