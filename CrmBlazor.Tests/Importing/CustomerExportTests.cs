using System.Net;
using System.Text.Json;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Importing;

/// <summary>SPEC H3 through real HTTP: the filtered list as a workbook, read back.</summary>
public sealed class CustomerExportTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_export_holds_the_filtered_customers_in_scope_neutralises_formula_cells_and_is_audited()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        using var rep = await app.SignedInClientAsync("demo-salesrep");
        using var service = await app.SignedInClientAsync("demo-service");
        List<string> expected, repsOwn;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            // One active customer moves out of the supervisor's team; one gets a formula in its notes.
            var admin = await db.Users.Where(u => u.ExternalId == "demo-admin").Select(u => u.Id).SingleAsync();
            var active = await db.Customers.Where(c => c.Status == "active").OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
            await db.Customers.Where(c => c.Id == active[0]).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerId, admin));
            await db.Customers.Where(c => c.Id == active[1]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Notes, "=HYPERLINK(\"http://evil\")"));
            var team = await db.TeamMemberships.Where(m => m.User!.ExternalId == "demo-supervisor").Select(m => m.TeamId).SingleAsync();
            expected = await db.Customers.Where(c => c.Status == "active" && c.Owner!.Memberships.Any(m => m.TeamId == team)).OrderBy(c => c.Number).Select(c => c.Number).ToListAsync();
            repsOwn = await db.Customers.Where(c => c.Status == "active" && c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => c.Number).ToListAsync();
        }
        var form = ExportEndpoint.FormFor(new CustomerFilter { Statuses = ["active"] });

        var response = await supervisor.PostFormAsync(ExportEndpoint.Path, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(expected, rows.Select(r => (string)r["客户编号"]));
        Assert.All(rows, r => Assert.Equal("活跃", r["状态"]));
        Assert.Contains(rows, r => (string?)r["备注"] == "'=HYPERLINK(\"http://evil\")");
        Assert.Contains("上市公司", rows[0].Keys);
        // A rep's export holds only their own customers; customer service may not export.
        using var repsWorkbook = new MemoryStream(await (await rep.PostFormAsync(ExportEndpoint.Path, form)).EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync());
        var repsRows = repsWorkbook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().Select(r => (string)r["客户编号"]).ToList();
        Assert.NotEmpty(repsOwn);
        Assert.True(repsOwn.Count < expected.Count);
        Assert.Equal(repsOwn, repsRows);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.PostFormAsync(ExportEndpoint.Path, form)).StatusCode);

        // Chosen columns (SPEC H3 "any columns"): those, a custom field among them, and always the number.
        var narrow = await supervisor.PostFormAsync(ExportEndpoint.Path, ExportEndpoint.FormFor(new CustomerFilter { Statuses = ["active"] }, ["客户名称", "上市公司", "负责人"]));
        using var narrowBook = new MemoryStream(await narrow.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync());
        var narrowRows = narrowBook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["客户编号", "客户名称*", "上市公司", "负责人"], narrowRows[0].Keys);
        Assert.Equal(expected, narrowRows.Select(r => (string)r["客户编号"]));
        var unreadable = await supervisor.PostFormAsync(ExportEndpoint.Path, new Dictionary<string, string> { ["filter"] = "not-json" });
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains("The filter could not be read.", await unreadable.Content.ReadAsStringAsync());
        supervisor.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN"); // the resource text, in the request's language
        var unreadableZh = await supervisor.PostFormAsync(ExportEndpoint.Path, new Dictionary<string, string> { ["filter"] = "not-json" });
        supervisor.DefaultRequestHeaders.AcceptLanguage.Clear();
        Assert.Contains("无法读取筛选条件。", await unreadableZh.Content.ReadAsStringAsync());
        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.True(await check.AuditEntries.AnyAsync(a => a.Action == AuditAction.Export && a.EntityType == "Customers" && a.EntityId == $"{expected.Count} rows"));
    }

    [Fact]
    public async Task The_audit_entry_of_an_export_records_its_filter_its_columns_and_its_rows()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");

        var response = await supervisor.PostFormAsync(ExportEndpoint.Path,
            ExportEndpoint.FormFor(new CustomerFilter { Statuses = ["active"], Search = "科技" }, ["客户名称", "负责人"]));

        response.EnsureSuccessStatusCode();
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = workbook.Query(useHeaderRow: true).Count();
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        var entry = await db.AuditEntries.SingleAsync(a => a.Action == AuditAction.Export && a.EntityType == "Customers");
        Assert.Equal("李明", entry.UserName);
        var details = JsonSerializer.Deserialize<List<FieldChange>>(entry.Changes!)!.ToDictionary(c => c.Field, c => c.After);
        var filter = JsonSerializer.Deserialize<CustomerFilter>(details[CustomerExportPlanner.Details.Filter]!)!;
        Assert.Equal(["active"], filter.Statuses);
        Assert.Equal("科技", filter.Search);
        Assert.Equal("客户名称, 负责人", details[CustomerExportPlanner.Details.Columns]);
        Assert.Equal(rows.ToString(System.Globalization.CultureInfo.InvariantCulture), details[CustomerExportPlanner.Details.Rows]);
        Assert.Null(details[CustomerExportPlanner.Details.Approval]);
    }

    [Fact]
    public async Task An_export_is_a_POST_with_the_antiforgery_token_a_GET_or_a_cross_site_POST_exports_nothing()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        var form = ExportEndpoint.FormFor(new CustomerFilter { Statuses = ["active"] });

        var get = await supervisor.GetAsync(ExportEndpoint.Path + "?filter=" + Uri.EscapeDataString(form["filter"]));
        var crossSite = await supervisor.PostFormWithoutTokenAsync(ExportEndpoint.Path, form);
        var forged = await supervisor.PostFormWithoutTokenAsync(ExportEndpoint.Path, new Dictionary<string, string>(form) { ["__RequestVerificationToken"] = "forged" });
        var own = await supervisor.PostFormAsync(ExportEndpoint.Path, form);

        Assert.True(get.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, $"GET answered {(int)get.StatusCode}");
        Assert.NotEqual(ExcelCells.ContentType, get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(ExcelCells.ContentType, own.Content.Headers.ContentType?.MediaType);
        await using var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.Action == AuditAction.Export)); // only the POST with the token exported
        Assert.Equal(1, await db.ExportRecords.CountAsync());
    }
}
