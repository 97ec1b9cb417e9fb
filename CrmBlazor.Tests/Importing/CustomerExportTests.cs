using System.Net;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
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
            var team = await db.Users.Where(u => u.ExternalId == "demo-supervisor").Select(u => u.TeamId).SingleAsync();
            expected = await db.Customers.Where(c => c.Status == "active" && c.Owner!.TeamId == team).OrderBy(c => c.Number).Select(c => c.Number).ToListAsync();
            repsOwn = await db.Customers.Where(c => c.Status == "active" && c.Owner!.ExternalId == "demo-salesrep").OrderBy(c => c.Number).Select(c => c.Number).ToListAsync();
        }
        var url = ExportEndpoint.UrlFor(new CustomerFilter { Statuses = ["active"] });

        var response = await supervisor.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var workbook = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(expected, rows.Select(r => (string)r["客户编号"]));
        Assert.All(rows, r => Assert.Equal("活跃", r["状态"]));
        Assert.Contains(rows, r => (string?)r["备注"] == "'=HYPERLINK(\"http://evil\")");
        Assert.Contains("上市公司", rows[0].Keys);
        // A rep's export holds only their own customers; customer service may not export.
        using var repsWorkbook = new MemoryStream(await (await rep.GetAsync(url)).EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync());
        var repsRows = repsWorkbook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().Select(r => (string)r["客户编号"]).ToList();
        Assert.NotEmpty(repsOwn);
        Assert.True(repsOwn.Count < expected.Count);
        Assert.Equal(repsOwn, repsRows);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.GetAsync(url)).StatusCode);

        // Chosen columns (SPEC H3 "any columns"): those, a custom field among them, and always the number.
        var narrow = await supervisor.GetAsync(ExportEndpoint.UrlFor(new CustomerFilter { Statuses = ["active"] }, ["客户名称", "上市公司", "负责人"]));
        using var narrowBook = new MemoryStream(await narrow.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync());
        var narrowRows = narrowBook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(["客户编号", "客户名称*", "上市公司", "负责人"], narrowRows[0].Keys);
        Assert.Equal(expected, narrowRows.Select(r => (string)r["客户编号"]));
        Assert.Equal(HttpStatusCode.BadRequest, (await supervisor.GetAsync("/customers/export?filter=not-json")).StatusCode);
        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        Assert.True(await check.AuditEntries.AnyAsync(a => a.Action == AuditAction.Export && a.EntityType == "Customers" && a.EntityId == $"{expected.Count} rows"));
    }
}
