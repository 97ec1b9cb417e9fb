using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Features.Approvals;
using CrmBlazor.Server.Features.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Tests.Approvals;

/// <summary>
/// A request's summary is stored as its kind's facts and worded in the reader's language, on the approvals page and in
/// the bells (text through resource keys); a sentence stored before stays as it was.
/// </summary>
public sealed class ApprovalTextsTests
{
    private static IStringLocalizer Texts => ServerTexts.Localizer;

    public static TheoryData<string, string, string> Summaries() => new()
    {
        { "export", "Export 12,000 customers", "导出 12,000 个客户" },
        { "merge", "Merge two duplicate customers", "合并两个重复客户" },
        { "delete", "Delete 3 customers", "删除 3 个客户" },
        { "move", "Move opportunity OPP2026001 (CN¥1,234,567.89) to “Contract”", "商机 OPP2026001（¥1,234,567.89）推进至“签订合同”" },
        { "lead", "Assign lead L2026001 to 张伟", "线索 L2026001 分配给 张伟" },
        { "stored", "导出 9,000 个客户 / export 9,000 customers", "导出 9,000 个客户 / export 9,000 customers" },
    };

    [Theory]
    [MemberData(nameof(Summaries))]
    public void Each_kind_is_worded_in_the_readers_language_and_a_stored_sentence_is_shown_as_stored(string which, string english, string chinese)
    {
        var summary = which switch
        {
            "export" => ApprovalSummary.Export(12_000),
            "merge" => ApprovalSummary.Merge(),
            "delete" => ApprovalSummary.BulkDelete(3),
            "move" => ApprovalSummary.OpportunityMove("OPP2026001", 123_456_789, OpportunityStage.Contract),
            "lead" => ApprovalSummary.LeadAssignment("L2026001", "张伟"),
            _ => ApprovalSummary.Of(ApprovalKinds.CustomerExport, null, "导出 9,000 个客户 / export 9,000 customers"),
        };
        // Stored and read back as the request keeps it.
        var stored = ApprovalSummary.Of(summary.Kind, summary.StoredText is null ? summary.FactsJson() : null, summary.StoredText);

        Assert.Equal(english, ServerTexts.In("en-US", () => ApprovalTexts.Describe(Texts, stored)));
        Assert.Equal(chinese, ServerTexts.In("zh-CN", () => ApprovalTexts.Describe(Texts, stored)));
    }

    [Fact]
    public void Facts_are_stored_as_written_so_a_longest_name_fits_the_column()
    {
        var longest = new string('张', 100); // a display name's limit
        var stored = ApprovalSummary.LeadAssignment("L2026000001", longest).FactsJson();

        Assert.True(stored.Length <= 500, $"{stored.Length} characters"); // escaped as \uXXXX it would take 600 and more
        Assert.Equal(["L2026000001", longest], ApprovalSummary.Of(ApprovalKinds.LeadAssignment, stored, null).Facts);
    }

    [Fact]
    public async Task The_bells_word_a_request_and_its_rejection_in_each_readers_language()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        var request = await harness.Get<ApprovalService>(supervisor).RequestAsync(ApprovalSummary.Export(12_000), "{}");
        await harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version, false, "范围过大");

        var asked = Assert.Single(await harness.Get<NotificationService>(admin).MineAsync());
        var rejected = Assert.Single(await harness.Get<NotificationService>(supervisor).MineAsync());

        Assert.Equal($"{supervisor.DisplayName} asks for approval: Export 12,000 customers", ServerTexts.In("en-US", () => Bell(asked)));
        Assert.Equal($"{supervisor.DisplayName} 提交了审批申请：导出 12,000 个客户", ServerTexts.In("zh-CN", () => Bell(asked)));
        Assert.Equal($"{admin.DisplayName} rejected: Export 12,000 customers (范围过大)", ServerTexts.In("en-US", () => Bell(rejected)));
        Assert.Equal($"{admin.DisplayName} 驳回了：导出 12,000 个客户（范围过大）", ServerTexts.In("zh-CN", () => Bell(rejected)));
        Assert.DoesNotContain(asked.Values.Concat(rejected.Values), v => v.Contains("导出", StringComparison.Ordinal) || v.Contains("Export", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_stored_with_a_sentence_before_is_decided_and_told_with_that_sentence()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        const string sentence = "导出 9,000 个客户 / export 9,000 customers";
        await using (var db = harness.NewSystemContext())
        {
            db.ApprovalRequests.Add(new ApprovalRequest
            {
                Kind = ApprovalKinds.CustomerExport, LegacySummary = sentence, Payload = "{}", RequestedById = supervisor.UserId!.Value, RequestedByName = supervisor.DisplayName,
            });
            await db.SaveChangesAsync();
        }
        var pending = Assert.Single(await harness.Get<ApprovalService>(admin).PendingAsync());
        Assert.Equal(sentence, ServerTexts.In("en", () => ApprovalTexts.Describe(Texts, pending.Summary)));

        await harness.Get<ApprovalService>(admin).DecideAsync(pending.Id, pending.Version, true, null);

        var approved = Assert.Single(await harness.Get<NotificationService>(supervisor).MineAsync());
        Assert.Equal($"{admin.DisplayName} approved: {sentence}", ServerTexts.In("en", () => Bell(approved)));
    }

    [Fact]
    public void Bells_stored_with_a_sentence_before_show_it_as_they_did()
    {
        NotificationView Old(string kind, params string[] values) => new(Guid.NewGuid(), kind, values, NotificationSubject.Approvals, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), false);

        Assert.Equal("王强 asks for approval: 导出 9,000 个客户 / export 9,000 customers",
            ServerTexts.In("en-US", () => Bell(Old(NotificationKinds.ApprovalRequested, "王强", "导出 9,000 个客户 / export 9,000 customers"))));
        Assert.Equal("管理员 批准了：合并两个重复客户 / merge two duplicate customers",
            ServerTexts.In("zh-CN", () => Bell(Old(NotificationKinds.ApprovalApproved, "管理员", "合并两个重复客户 / merge two duplicate customers", ""))));
        Assert.Equal("管理员 驳回了：删除 2 个客户 / delete 2 customers（重复）",
            ServerTexts.In("zh-CN", () => Bell(Old(NotificationKinds.ApprovalRejected, "管理员", "删除 2 个客户 / delete 2 customers", "重复"))));
    }

    /// <summary>An approval's bell text (approvals show no time, so no display clock is needed).</summary>
    private static string Bell(NotificationView item) => NotificationTexts.Describe(Texts, item, null!);
}
