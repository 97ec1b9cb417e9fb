using System.Globalization;
using CrmBlazor.Server.Components.Shared;

namespace CrmBlazor.Tests.Culture;

/// <summary>SPEC J1: amounts are CNY in the UI language — "¥" in Chinese, "CN¥" in English — whatever the machine's ICU data.</summary>
public sealed class MoneyTests
{
    [Theory]
    [InlineData("zh-CN", "0", "¥0.00")]
    [InlineData("zh-CN", "1234.5", "¥1,234.50")]
    [InlineData("zh-CN", "-1234.5", "-¥1,234.50")]
    [InlineData("zh-CN", "1000000000", "¥1,000,000,000.00")]
    [InlineData("en", "0", "CN¥0.00")]
    [InlineData("en", "1234.5", "CN¥1,234.50")]
    [InlineData("en", "-1234.5", "-CN¥1,234.50")]
    [InlineData("en", "1000000000", "CN¥1,000,000,000.00")]
    [InlineData("en-US", "1234.5", "CN¥1,234.50")]
    [InlineData("zh", "1234.5", "¥1,234.50")]
    public void An_amount_is_yuan_in_the_UI_language(string culture, string amount, string expected) =>
        Assert.Equal(expected, Money.Format(decimal.Parse(amount, CultureInfo.InvariantCulture), new CultureInfo(culture)));

    [Theory]
    [InlineData("zh-CN", "300000", "¥300,000")]
    [InlineData("en", "300000", "CN¥300,000")]
    [InlineData("zh-CN", "0", "¥0")]
    [InlineData("en", "-1000000000", "-CN¥1,000,000,000")]
    public void An_annual_figure_is_whole_yuan(string culture, string amount, string expected) =>
        Assert.Equal(expected, Money.FormatWhole(decimal.Parse(amount, CultureInfo.InvariantCulture), new CultureInfo(culture)));

    [Theory]
    [InlineData("zh-CN", "¥")]
    [InlineData("en", "CN¥")]
    public void An_amount_field_is_adorned_with_the_symbol_of_the_UI_language(string culture, string symbol)
    {
        Assert.Equal(symbol, Money.Symbol(new CultureInfo(culture)));

        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo(culture);
            Assert.Equal(symbol, Money.Symbol());
            Assert.StartsWith(symbol + "1,234.50", Money.Format(1234.5m), StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
