using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Importing;

/// <summary>SPEC H1 through real HTTP: the template workbook read back.</summary>
public sealed class TemplateTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_template_has_every_column_custom_fields_included_an_example_and_the_allowed_values_and_is_for_importers_only()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        using var rep = await app.SignedInClientAsync("demo-salesrep");
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            // A custom field named like a fixed column gets its own header rather than hiding the other.
            db.CustomFields.Add(new CrmBlazor.Domain.CustomFields.CustomFieldDefinition { LabelZh = "备注", LabelEn = "Remark", Order = 9 });
            await db.SaveChangesAsync();
        }

        var response = await supervisor.GetAsync("/customers/import/template");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["客户", "可选值"], workbook.GetSheetNames());
        var headers = ((IDictionary<string, object>)workbook.Query(sheetName: "客户").First()).Values.Select(v => v?.ToString()).ToList();
        Assert.Equal(["客户编号", "客户名称*", "行业", "规模", "状态", "省份", "城市", "区县", "街道地址", "网站", "合作历史", "备注", "关键联系人*", "职务", "手机", "座机", "邮箱", "上市公司", "备注（自定义）"], headers);
        var example = workbook.Query(useHeaderRow: true, sheetName: "客户").Cast<IDictionary<string, object>>().Single();
        Assert.Equal("杭州云帆网络科技有限公司", example["客户名称*"]);
        Assert.Equal("互联网", example["行业"]);
        var allowed = workbook.Query(useHeaderRow: true, sheetName: "可选值").Cast<IDictionary<string, object>>().ToList();
        Assert.Contains(allowed, v => (string)v["字段"] == "行业" && (string)v["可选值"] == "零售业" && (string)v["English"] == "Retail");
        Assert.Contains(allowed, v => (string)v["字段"] == "上市公司" && (string)v["可选值"] == "是");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.GetAsync("/customers/import/template")).StatusCode);
    }

    [Fact]
    public async Task The_lead_template_comes_in_the_users_language_and_only_to_lead_importers()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        using var rep = await app.SignedInClientAsync("demo-salesrep");

        foreach (var (language, sheet, headers) in new[]
        {
            ("zh-CN", "线索", new[] { "线索来源", "公司名称*", "联系人*", "手机", "邮箱", "地区", "备注", "负责人", "团队线索池" }),
            ("en", "Leads", new[] { "Source", "Company*", "Contact*", "Mobile", "E-mail", "Region", "Notes", "Owner", "Team pool" }),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/leads/import/template");
            request.Headers.AcceptLanguage.ParseAdd(language);
            var response = await supervisor.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(sheet, workbook.GetSheetNames()[0]);
            Assert.Equal(headers, ((IDictionary<string, object>)workbook.Query(sheetName: sheet).First()).Values.Select(v => v?.ToString()));
        }
        // Refused by the Pipeline Import policy before the Domain is asked: to the denied page, as every permission-guarded route.
        var refused = await rep.GetAsync("/leads/import/template");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
