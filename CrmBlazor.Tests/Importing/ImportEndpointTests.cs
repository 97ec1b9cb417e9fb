using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Features.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Importing;

/// <summary>SPEC H2 through the app: the errors workbook is its requester's alone; a confirmed import runs in the background as its requester.</summary>
public sealed class ImportEndpointTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _imports = Path.Combine(Path.GetTempPath(), $"crm-imports-{Guid.NewGuid():N}");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_imports))
        {
            Directory.Delete(_imports, recursive: true);
        }
    }

    [Fact]
    public async Task The_errors_workbook_is_the_requesters_and_a_confirmed_import_runs_in_the_background_as_them()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Import:Path"] = _imports, ["Import:BatchSize"] = "5", ["Jobs:Enabled"] = "false" });
        _ = app.Server;
        var rows = ValidRows(12, "后台");
        rows[2]["手机"] = "12345";
        ImportPreview preview;
        System.Security.Claims.ClaimsPrincipal principal;
        Guid supervisorId;
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            supervisorId = CrmAppFactory.ActAs(scope, db, "demo-supervisor").Id;
            principal = scope.ServiceProvider.GetRequiredService<CrmBlazor.Server.Hosting.ClaimsCurrentUser>().Principal;
            preview = await scope.ServiceProvider.GetRequiredService<CustomerImport>().PrepareAsync("后台.xlsx", Xlsx(rows), ImportMode.CreateOnly);
        }

        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        var errors = await supervisor.GetAsync(ImportErrorsEndpoint.UrlFor(preview.Job.Id));
        Assert.Equal(HttpStatusCode.OK, errors.StatusCode);
        using (var workbook = new MemoryStream(await errors.Content.ReadAsByteArrayAsync()))
        {
            var row = Assert.Single(workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>());
            Assert.Contains("12345", (string)row["错误原因"], StringComparison.Ordinal);
        }
        using var admin = await app.SignedInClientAsync("demo-admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(ImportErrorsEndpoint.UrlFor(preview.Job.Id))).StatusCode); // not even an Admin's

        app.Services.GetRequiredService<ImportRunner>().Start(preview.Job.Id, principal);

        await using var check = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System);
        for (var i = 0; i < 100 && await check.ImportJobs.AsNoTracking().Where(j => j.Id == preview.Job.Id).Select(j => j.Status).SingleAsync() != ImportStatus.Completed; i++)
        {
            await Task.Delay(100);
        }
        var job = await check.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == preview.Job.Id);
        Assert.Equal((ImportStatus.Completed, 11, 1), (job.Status, job.Imported, job.Skipped));
        Assert.Equal(11, await check.Customers.CountAsync(c => c.Name.StartsWith("后台导入客户") && c.OwnerId == supervisorId && c.CreatedBy == supervisorId));
    }
}
