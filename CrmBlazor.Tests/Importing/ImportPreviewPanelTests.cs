using Bunit;
using System.Globalization;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Features.Importing;
using CrmBlazor.Tests.Layout;

namespace CrmBlazor.Tests.Importing;

/// <summary>Issue 17: the preview lists what cleaning changed, each kind with its count, in the user's language.</summary>
public sealed class ImportPreviewPanelTests : MudTestContext
{
    private static ImportPreview Preview(ImportJob job, Dictionary<ImportCleaningKind, int> cleanings) =>
        new(job, [], new Dictionary<ImportProblemKind, int>(), [], false, cleanings);

    [Theory]
    [InlineData("en-US", "1,203 phone numbers reformatted (spaces, dashes, +86 removed)", "2 landlines found in the mobile column, moved to landline")]
    [InlineData("zh-CN", "1,203 个电话号码已规范格式（去掉空格、横线、+86）", "2 个座机号码写在“手机”列，已移到“座机”")]
    public void The_cleanings_are_listed_with_their_counts(string culture, string reformatted, string moved)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var job = new ImportJob { FileName = "team.xlsx", RequestedByName = "Admin", TotalRows = 1500, ToCreate = 1500 };
        var cleanings = new Dictionary<ImportCleaningKind, int> { [ImportCleaningKind.LandlineMoved] = 2, [ImportCleaningKind.PhoneReformatted] = 1203 };

        var panel = Render<ImportPreviewPanel>(p => p.Add(x => x.Job, job).Add(x => x.Preview, Preview(job, cleanings)));

        var items = panel.FindAll(".crm-import-cleaned li");
        Assert.Equal([reformatted, moved], items.Select(li => li.TextContent.Trim()));
        Assert.Equal(["PhoneReformatted", "LandlineMoved"], items.Select(li => li.GetAttribute("data-cleaning")));
    }

    [Fact]
    public void Nothing_cleaned_shows_no_list()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en-US");
        var job = new ImportJob { FileName = "team.xlsx", RequestedByName = "Admin", TotalRows = 3, ToCreate = 3 };

        var panel = Render<ImportPreviewPanel>(p => p.Add(x => x.Job, job).Add(x => x.Preview, Preview(job, [])));

        Assert.Empty(panel.FindAll(".crm-import-cleaned"));
        Assert.NotNull(panel.Find(".crm-import-clean"));
    }
}
