using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>Issue 17's column mapping: a team's own sheet — a title line, its own headings in its own order, extra columns — mapped, corrected, remembered.</summary>
public sealed class ColumnMappingTests
{
    private static readonly IReadOnlyList<ImportTarget> Targets =
    [
        new("客户名称", "客户名称", "Customer name", true, ["公司名称", "单位名称", "企业名称"]),
        new("关键联系人", "关键联系人", "Key contact", true, ["联系人"]),
        new("手机", "手机", "Mobile", false, ["手机号", "联系电话", "电话"]),
        new("座机", "座机", "Landline", false, ["固定电话", "联系电话", "电话"]),
        new("规模", "规模", "Size", false, ["客户规模", "员工人数"]),
    ];

    [Theory]
    [InlineData("客户名称*", "客户名称", ImportColumnMatch.Exact)]
    [InlineData(" customer NAME ", "客户名称", ImportColumnMatch.Exact)]          // the English name, any case and spacing
    [InlineData("单位名称", "客户名称", ImportColumnMatch.Synonym)]
    [InlineData("客户规模（员工人数）", "规模", ImportColumnMatch.Synonym)]     // the bracket's note is not part of the heading
    [InlineData("联系人：", "关键联系人", ImportColumnMatch.Synonym)]
    [InlineData("客户名", "客户名称", ImportColumnMatch.Similar)]               // FuzzySharp ratio 86
    [InlineData("联系人电话", "手机", ImportColumnMatch.Similar)]                // close to 联系电话
    [InlineData("客户等级", null, ImportColumnMatch.None)]
    [InlineData("序号", null, ImportColumnMatch.None)]
    public void A_heading_finds_its_field_exactly_by_synonym_or_by_similarity(string heading, string? target, ImportColumnMatch match) =>
        Assert.Equal((target, match), ImportColumnMapping.Propose([heading], Targets).Select(p => (p.Target, p.Match)).Single());

    [Fact]
    public void A_field_takes_one_column_and_a_phone_heading_takes_the_landline_when_the_mobile_is_taken()
    {
        var proposed = ImportColumnMapping.Propose(["公司名称", "手机号", "联系电话", "企业名称"], Targets);

        Assert.Equal(["客户名称", "手机", "座机", null], proposed.Select(p => p.Target));
    }

    [Fact]
    public void A_remembered_mapping_wins_unless_it_names_a_field_that_is_gone()
    {
        var remembered = new Dictionary<string, string> { ["甲"] = "客户名称", ["乙"] = "关键联系人" };

        Assert.Equal([("客户名称", ImportColumnMatch.Remembered), ("关键联系人", ImportColumnMatch.Remembered), (null, ImportColumnMatch.None)],
            ImportColumnMapping.Propose(["甲", "乙", "手机"], Targets, remembered).Select(p => (p.Target, p.Match)));
        Assert.Equal(ImportColumnMatch.Exact, ImportColumnMapping.Propose(["手机"], Targets, new Dictionary<string, string> { ["手机"] = "已删除的字段" }).Single().Match);
    }

    [Fact]
    public void The_header_row_is_the_one_of_the_first_rows_that_matches_most_fields()
    {
        IReadOnlyList<IReadOnlyList<string>> top =
        [
            ["2026 年华东区客户清单", "", ""],
            ["", "", ""],
            ["公司名称", "联系人", "联系电话"],
            ["杭州甲有限公司", "王芳", "138 0013 8000"],
        ];

        Assert.Equal(3, ImportColumnMapping.FindHeaderRow(top, Targets));
        Assert.Equal(1, ImportColumnMapping.FindHeaderRow([["甲", "乙"], ["丙", "丁"]], Targets)); // none matches: the first row, as before
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_legacy_sheet_is_mapped_the_users_change_honoured_and_the_mapping_remembered_for_the_next_file(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);
        string[] headings = ["序号", "公司名称", "所属行业", "客户规模（员工人数）", "联系人", "联系电话", "客户等级"];
        object?[][] data =
        [
            [1, "映射一号有限公司", "制造业", "50–200人", "王芳", "138 0013 8000", "战略客户"],
            [2, "映射二号有限公司", "制造业", null, "李雷", "0571-8888 6666", "普通客户"],
            [3, null, null, null, "韩梅", "13900139000", null], // no company: a row problem, numbered as Excel numbers it
        ];

        var columns = await import.InspectAsync("华东客户.xlsx", LegacySheet("2026 年华东区客户清单", headings, data), ImportKind.Customers, ImportMode.CreateOnly);

        Assert.Equal(3, columns.HeaderRow); // under the title line and a blank row
        Assert.True(columns.NeedsReview);
        Assert.Equal(
            [(null, ImportColumnMatch.None), ("客户名称", ImportColumnMatch.Synonym), ("行业", ImportColumnMatch.Synonym), ("规模", ImportColumnMatch.Synonym),
                ("关键联系人", ImportColumnMatch.Synonym), ("手机", ImportColumnMatch.Synonym), (CustomerRows.TierHeader, ImportColumnMatch.Exact)],
            columns.Columns.Select(c => (c.Target, c.Match)));
        Assert.Equal(["138 0013 8000", "0571-8888 6666", "13900139000"], columns.Columns.Single(c => c.Header == "联系电话").Samples);
        Assert.Empty(columns.Missing);
        Assert.Empty(await import.MineAsync()); // waiting for its mapping: no import of mine yet

        // The user's changes: 客户等级 kept as the notes rather than as the tier; a field given twice, or a required one left out, is refused and can be corrected.
        var map = new Dictionary<string, string>(columns.Map) { ["客户等级"] = "备注" };
        var twice = await Assert.ThrowsAsync<ImportRejectedException>(() => import.CheckAsync(columns.JobId, new Dictionary<string, string>(map) { ["序号"] = "备注" }));
        Assert.Equal("\"Notes\" can take one column only.", twice.En);
        var missing = await Assert.ThrowsAsync<ImportRejectedException>(() => import.CheckAsync(columns.JobId, map.Where(m => m.Key != "联系人").ToDictionary()));
        Assert.StartsWith("缺少必需的列：关键联系人。", missing.Zh, StringComparison.Ordinal);
        var preview = await import.CheckAsync(columns.JobId, map);

        Assert.Equal((2, 1), (preview.Job.ToCreate, preview.Job.ErrorRows));
        Assert.Equal((6, "缺少客户名称"), (preview.FailingRows.Single().RowNumber, preview.FailingRows.Single().Reasons(true)));
        Assert.Equal(["序号"], preview.IgnoredColumns);
        await import.RunAsync(preview.Job.Id);
        await using (var db = harness.NewSystemContext())
        {
            var first = await db.Customers.AsNoTracking().Include(c => c.Contacts).SingleAsync(c => c.Name == "映射一号有限公司");
            Assert.Equal(("manufacturing", "50-200", "战略客户"), (first.Industry, first.Size, first.Notes));
            Assert.Equal(("王芳", "13800138000", null), (first.Contacts[0].Name, first.Contacts[0].Mobile, first.Contacts[0].Landline));
            var second = await db.Contacts.AsNoTracking().SingleAsync(c => c.Name == "李雷");
            Assert.Equal((null, "0571 8888 6666"), (second.Mobile, second.Landline)); // 联系电话 holding a landline: the landline field, in its national form
        }

        // The next file with the same headings (another title, other rows) comes with the confirmed mapping.
        var next = await import.InspectAsync("华东客户-12月.xlsx", LegacySheet("12 月新增", headings, [[1, "映射三号有限公司", null, null, "赵强", "13700137000", "重点客户"]]),
            ImportKind.Customers, ImportMode.CreateOnly);
        Assert.All(next.Columns.Where(c => c.Target is not null), c => Assert.Equal(ImportColumnMatch.Remembered, c.Match));
        Assert.Equal(map, next.Map);
        var other = await import.InspectAsync("别的表.xlsx", LegacySheet("别的表", ["公司名称", "联系人", "客户等级"], [["映射四号有限公司", "钱七", "一般"]]),
            ImportKind.Customers, ImportMode.CreateOnly);
        Assert.Equal((CustomerRows.TierHeader, ImportColumnMatch.Exact), other.Columns.Single(c => c.Header == "客户等级") is var tier ? (tier.Target, tier.Match) : default); // other headings: nothing remembered
    }

    [Fact]
    public async Task The_template_needs_no_review_and_a_lead_sheet_in_its_own_words_is_mapped_by_synonyms()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        var import = harness.Get<CustomerImport>(admin);

        var template = await import.InspectAsync("模板.xlsx", Xlsx([Row("模板客户有限公司", "王芳", "13800138000", "制造业")]), ImportKind.Customers, ImportMode.CreateOnly);
        Assert.False(template.NeedsReview);
        await import.CheckAsync(template.JobId, template.Map); // confirmed as proposed: nothing to remember, so the next one goes straight on too
        var again = await import.InspectAsync("模板-2.xlsx", Xlsx([Row("模板客户二号有限公司", "李雷", "13800138001", "制造业")]), ImportKind.Customers, ImportMode.CreateOnly);
        Assert.False(again.NeedsReview);

        var leads = await import.PrepareAsync("线索.xlsx", LegacySheet("展会线索", ["单位名称", "姓名", "手机号码", "来源"], [["展会线索一号有限公司", "孙八", "13600136000", null]]),
            ImportKind.Leads, ImportMode.CreateOnly);
        Assert.Equal((1, 0), (leads.Job.ToCreate, leads.Job.ErrorRows));
    }
}
