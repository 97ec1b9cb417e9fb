using System.Net;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Reports;

/// <summary>SPEC E3, E4 exports through real HTTP, read back as workbooks.</summary>
public sealed class ExportTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_dashboard_workbook_holds_the_supervisors_team_neutralises_formula_cells_is_audited_and_is_refused_to_a_rep()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        using var rep = await app.SignedInClientAsync("demo-salesrep");
        int owned;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            var teamId = await db.TeamMemberships.Where(m => m.User!.ExternalId == "demo-supervisor").Select(m => m.TeamId).SingleAsync();
            // One customer outside the team: the team's workbook must not count it.
            var outsider = await db.Customers.OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
            var admin = await db.Users.Where(u => u.ExternalId == "demo-admin").Select(u => u.Id).SingleAsync();
            await db.Customers.Where(c => c.Id == outsider).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerId, admin));
            owned = await db.Customers.CountAsync(c => c.Owner!.Memberships.Any(m => m.TeamId == teamId));
            var one = await db.Customers.Where(c => c.Owner!.Memberships.Any(m => m.TeamId == teamId)).Select(c => c.Id).FirstAsync();
            await db.Customers.Where(c => c.Id == one).ExecuteUpdateAsync(s => s.SetProperty(c => c.Province, "=HYPERLINK(\"http://evil\")"));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostFormAsync("/dashboard/tiers/export")).StatusCode);

        var response = await supervisor.PostFormAsync("/dashboard/tiers/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = workbook.Query(useHeaderRow: true, sheetName: "Distribution").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(owned, rows.Where(r => (string)r["Dimension"] == "Tier").Sum(r => Convert.ToInt32(r["Customers"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains(rows, r => (string)r["Value"] == "'=HYPERLINK(\"http://evil\")");
        Assert.DoesNotContain(rows, r => r["Value"] is string v && v.StartsWith('='));
        // Values by their labels, their codes beside them (the demo's industries are dictionary codes).
        Dictionary<string, (string Zh, string En)> industryLabels;
        // Reads only: a fixed clock, so the test line never reads the wall clock.
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero))))
        {
            industryLabels = await db.DictionaryItems.Where(i => i.Kind == CrmBlazor.Domain.Dictionaries.DictionaryKind.Industry).ToDictionaryAsync(i => i.Code, i => (i.LabelZh, i.LabelEn));
        }
        var industryRows = rows.Where(r => (string)r["Dimension"] == "Industry").ToList();
        Assert.NotEmpty(industryRows);
        Assert.All(industryRows.Where(r => r["Code"] is string { Length: > 0 }), r => Assert.Equal(industryLabels[(string)r["Code"]].En, (string)r["Value"]));
        var industries = industryRows.Sum(r => Convert.ToInt32(r["Customers"], System.Globalization.CultureInfo.InvariantCulture));

        // A Chinese reader's workbook: its sheets, headings and labels in Chinese, the same figures.
        supervisor.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var chinese = await supervisor.PostFormAsync("/dashboard/tiers/export");
        using var chineseBook = new MemoryStream(await chinese.Content.ReadAsByteArrayAsync());
        Assert.Equal(["客户分布", "本月级别变动"], chineseBook.GetSheetNames());
        var chineseRows = chineseBook.Query(useHeaderRow: true, sheetName: "客户分布").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["维度", "取值", "编码", "客户数"], chineseRows[0].Keys);
        var chineseIndustries = chineseRows.Where(r => (string)r["维度"] == "行业").ToList();
        Assert.All(chineseIndustries.Where(r => r["编码"] is string { Length: > 0 }), r => Assert.Equal(industryLabels[(string)r["编码"]].Zh, (string)r["取值"]));
        Assert.Equal(industries, chineseIndustries.Sum(r => Convert.ToInt32(r["客户数"], System.Globalization.CultureInfo.InvariantCulture)));

        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var entry = await check.AuditEntries.Where(a => a.Action == AuditAction.Export && a.EntityType == "TierDashboard").OrderBy(a => a.At).FirstAsync();
        var details = Details(entry);
        Assert.Equal("tiers", details["Dashboard"]);
        Assert.Equal(app.Services.GetRequiredService<CrmBlazor.Domain.Common.CompanyClock>().Today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), details["Month"]);
        Assert.Equal("Distribution, MovementsThisMonth", details["Sheets"]);
    }

    [Fact]
    public async Task A_report_downloads_for_a_supervisor_with_a_total_row_and_is_refused_to_a_rep()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        using var rep = await app.SignedInClientAsync("demo-salesrep");
        var today = app.Services.GetRequiredService<CrmBlazor.Domain.Common.CompanyClock>().Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var response = await supervisor.PostFormAsync("/reports/sla/export", new Dictionary<string, string> { ["from"] = today, ["to"] = today });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal("Total", rows[^1]["Owner"]);
        Assert.Equal(rows.Take(rows.Count - 1).Sum(r => Convert.ToInt32(r["Demands"], System.Globalization.CultureInfo.InvariantCulture)),
            Convert.ToInt32(rows[^1]["Demands"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(Convert.ToInt32(rows[^1]["Demands"], System.Globalization.CultureInfo.InvariantCulture) > 0, "the demo's demands were raised today");
        Assert.Equal(HttpStatusCode.Forbidden, (await rep.PostFormAsync("/reports/sla/export", new Dictionary<string, string> { ["from"] = today, ["to"] = today })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.PostFormAsync("/reports/nonsense/export")).StatusCode);
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.Export && a.EntityType == "Report:sla");
        var details = Details(entry);
        Assert.Equal(("sla", today, today), (details["Report"], details["From"], details["To"]));
        Assert.Equal(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), details["Rows"]);
    }

    [Fact]
    public async Task Report_and_dashboard_exports_need_a_POST_with_the_antiforgery_token()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");

        foreach (var path in new[] { "/reports/sla/export", "/dashboard/tiers/export" })
        {
            var get = await supervisor.GetAsync(path);
            Assert.True(get.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, $"GET {path} answered {(int)get.StatusCode}");
            Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.PostFormWithoutTokenAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await supervisor.PostFormAsync(path)).StatusCode);
        }
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export));
    }

    private static Dictionary<string, string?> Details(AuditEntry entry) =>
        System.Text.Json.JsonSerializer.Deserialize<List<FieldChange>>(entry.Changes!)!.ToDictionary(c => c.Field, c => c.After);
}
