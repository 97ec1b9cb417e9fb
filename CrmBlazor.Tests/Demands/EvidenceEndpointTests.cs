using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Demands;

/// <summary>SPEC D3 through real HTTP: evidence files go only to users who may see the customer.</summary>
public sealed class EvidenceEndpointTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _evidence = Path.Combine(Path.GetTempPath(), $"crm-evidence-{Guid.NewGuid():N}");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_evidence))
        {
            Directory.Delete(_evidence, recursive: true);
        }
    }

    [Fact]
    public async Task The_owner_downloads_the_evidence_a_rep_outside_the_scope_and_strangers_do_not()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Evidence:Path"] = _evidence, ["Jobs:Enabled"] = "false" });
        _ = app.Server;
        Guid evidenceId;
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            var rep = CrmAppFactory.ActAs(scope, db, "demo-salesrep");
            var customerId = await db.Customers.Where(c => c.OwnerId == rep.Id).Select(c => c.Id).FirstAsync();
            var demands = scope.ServiceProvider.GetRequiredService<DemandService>();
            var demand = await demands.CreateAsync(new DemandInput(customerId, "确认培训安排", "existing", DemandPriority.Low, null));
            await demands.CloseAsync(demand.Id, demand.Version, [new FileUpload("客户签字.png", new MemoryStream(DemandTests.Png))]);
            evidenceId = await db.DemandEvidence.Where(e => e.DemandId == demand.Id).Select(e => e.Id).SingleAsync();
        }
        Assert.Single(Directory.GetFiles(_evidence));

        using var owner = await app.SignedInClientAsync("demo-salesrep");
        var download = await owner.GetAsync($"/demands/evidence/{evidenceId}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(DemandTests.Png, await download.Content.ReadAsByteArrayAsync());

        using var otherRep = await app.SignedInClientAsync("demo-salesrep2");
        Assert.Contains((await otherRep.GetAsync($"/demands/evidence/{evidenceId}")).StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        var missing = await owner.GetAsync($"/demands/evidence/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Page not found", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the friendly page, for a signed-in user too

        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var refused = await anonymous.GetAsync($"/demands/evidence/{evidenceId}");
        Assert.True(refused.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"anonymous got {refused.StatusCode}");
        Assert.NotEqual("image/png", refused.Content.Headers.ContentType?.MediaType);
    }
}
