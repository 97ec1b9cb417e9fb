using Bunit;
using System.Globalization;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Features.Importing;
using CrmBlazor.Tests.Layout;
using MudBlazor;

namespace CrmBlazor.Tests.Importing;

/// <summary>Issue 17: the mapping step shows each column with its samples and field, names the required fields left out, and hands back the user's mapping.</summary>
public sealed class ImportColumnsPanelTests : MudTestContext
{
    private static readonly IReadOnlyList<ImportTarget> Targets =
    [
        new("客户名称", "客户名称", "Customer name", true, []),
        new("关键联系人", "关键联系人", "Key contact", true, []),
        new("手机", "手机", "Mobile", false, []),
        new("备注", "备注", "Notes", false, []),
    ];

    private static ImportColumns Proposal() => new(Guid.NewGuid(), "华东客户.xlsx", 3,
    [
        new("公司名称", ["映射一号有限公司", "映射二号有限公司"], "客户名称", ImportColumnMatch.Synonym),
        new("联系人电话", ["138 0013 8000"], "手机", ImportColumnMatch.Similar),
        new("客户等级", ["战略客户"], null, ImportColumnMatch.None),
        new("说明", [], null, ImportColumnMatch.None),
    ], Targets);

    [Fact]
    public void Each_column_shows_its_samples_and_field_and_the_required_field_left_out_is_named()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en-US");

        var panel = Render<ImportColumnsPanel>(p => p.Add(x => x.Columns, Proposal()));

        var rows = panel.FindAll("tr.crm-import-column");
        Assert.Equal([("公司名称", "客户名称", "Synonym"), ("联系人电话", "手机", "Similar"), ("客户等级", "", "None"), ("说明", "", "None")],
            rows.Select(r => (r.GetAttribute("data-header"), r.GetAttribute("data-target"), r.GetAttribute("data-match"))));
        Assert.Equal("映射一号有限公司 · 映射二号有限公司", rows[0].QuerySelector(".crm-import-samples")!.TextContent);
        Assert.Contains("(empty)", rows[3].TextContent, StringComparison.Ordinal);
        Assert.Equal("The headings are on row 3: the rows above them are not read.", panel.Find(".crm-import-header-row").TextContent.Trim());
        Assert.Equal("Required fields with no column: Key contact", panel.Find(".crm-import-missing").TextContent.Trim());
        Assert.True(panel.Find(".crm-import-columns-confirm").HasAttribute("disabled"));
    }

    [Fact]
    public async Task The_users_choices_go_back_one_column_per_field()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        IReadOnlyDictionary<string, string>? confirmed = null;
        var panel = Render<ImportColumnsPanel>(p => p.Add(x => x.Columns, Proposal()).Add(x => x.OnCheck, map => confirmed = map));
        var selects = panel.FindComponents<MudSelect<string>>();

        await panel.InvokeAsync(() => selects[2].Instance.ValueChanged.InvokeAsync("关键联系人")); // 客户等级 → key contact …
        await panel.InvokeAsync(() => selects[3].Instance.ValueChanged.InvokeAsync("关键联系人")); // … then 说明 takes it: 客户等级 is freed
        await panel.InvokeAsync(() => selects[2].Instance.ValueChanged.InvokeAsync("备注"));

        Assert.Empty(panel.FindAll(".crm-import-missing"));
        Assert.Equal("手动选择", panel.FindAll(".crm-import-match")[3].TextContent.Trim());
        panel.Find(".crm-import-columns-confirm").Click();
        Assert.Equal(new Dictionary<string, string> { ["公司名称"] = "客户名称", ["联系人电话"] = "手机", ["客户等级"] = "备注", ["说明"] = "关键联系人" }, confirmed);
    }
}
