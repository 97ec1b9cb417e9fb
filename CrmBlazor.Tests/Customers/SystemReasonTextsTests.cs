using CrmBlazor.Domain.Customers;
using CrmBlazor.Server.Features.Customers;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Tests.Customers;

/// <summary>Reasons the system writes (an import, a merge, the tier rules) are stored as keys and read in each reader's language; typed ones as typed.</summary>
public sealed class SystemReasonTextsTests
{
    private static IStringLocalizer Texts => ServerTexts.Localizer;

    [Theory]
    [InlineData(SystemReasons.Imported, "", "Excel import", "Excel 导入")]
    [InlineData(SystemReasons.MergedFrom, "CRM2026000123", "merged from CRM2026000123", "由 CRM2026000123 合并")]
    [InlineData(SystemReasons.OverrideCleared, "", "back to the rules", "恢复按规则评定")]
    [InlineData(SystemReasons.RuleOtherwise, "C", "C: otherwise", "C：其余情况")]
    [InlineData(SystemReasons.SilentAfterDays, "90", "Rule: not contacted for 90 days", "规则：90 天未联系")]
    public void A_reason_the_system_wrote_is_read_in_each_language(string key, string argument, string english, string chinese)
    {
        var stored = argument.Length == 0 ? SystemReasons.Of(key) : SystemReasons.Of(key, argument);

        Assert.Equal(english, ServerTexts.In("en", () => SystemReasonTexts.Describe(Texts, stored)));
        Assert.Equal(chinese, ServerTexts.In("zh-CN", () => SystemReasonTexts.Describe(Texts, stored)));
    }

    [Theory]
    [InlineData("集团战略合作伙伴，董事会指定")]
    [InlineData("导入 / imported")] // written by imports before 2026-12-06: shown as stored
    [InlineData("@not a key")]
    [InlineData("@Reason.MergedFrom")] // typed by a person: a known key without its argument is no system reason
    [InlineData("@Reason.Imported|x")]
    [InlineData("@Reason.Unknown|1")]
    public void A_typed_or_older_reason_is_shown_as_stored(string reason) =>
        Assert.Equal(reason, ServerTexts.In("en", () => SystemReasonTexts.Describe(Texts, reason)));
}
