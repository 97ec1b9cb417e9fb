using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G1 through real HTTP: a ticket's attachments go only to users who may see the ticket.</summary>
public sealed class TicketAttachmentEndpointTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly string _uploads = Path.Combine(Path.GetTempPath(), $"crm-uploads-{Guid.NewGuid():N}");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_uploads))
        {
            Directory.Delete(_uploads, recursive: true);
        }
    }

    [Fact]
    public async Task Customer_service_and_the_customers_rep_download_the_attachment_another_rep_and_strangers_do_not()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Evidence:Path"] = _uploads, ["Jobs:Enabled"] = "false" });
        _ = app.Server; // migrates and seeds, the demo service desk included
        Guid attachmentId;
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            var ticketId = await (from t in db.Tickets join c in db.Customers on t.CustomerId equals c.Id
                                  where c.Owner!.ExternalId == "demo-salesrep" orderby t.Number select t.Id).FirstAsync();
            CrmAppFactory.ActAs(scope, db, "demo-service");
            var added = await scope.ServiceProvider.GetRequiredService<TicketAttachmentService>()
                .AddAsync(ticketId, [new FileUpload("报错截图.png", new MemoryStream(DemandTests.Png))]);
            attachmentId = Assert.Single(added).Id;
        }
        Assert.Single(Directory.GetFiles(_uploads));

        foreach (var reader in new[] { "demo-service", "demo-salesrep" })
        {
            using var client = await app.SignedInClientAsync(reader);
            using var download = await client.GetAsync($"/tickets/attachments/{attachmentId}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(DemandTests.Png, await download.Content.ReadAsByteArrayAsync());
        }

        using var otherRep = await app.SignedInClientAsync("demo-salesrep2");
        using var refusedRep = await otherRep.GetAsync($"/tickets/attachments/{attachmentId}");
        Assert.Contains(refusedRep.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        Assert.NotEqual("image/png", refusedRep.Content.Headers.ContentType?.MediaType);
        using var service = await app.SignedInClientAsync("demo-service");
        using var missing = await service.GetAsync($"/tickets/attachments/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var refused = await anonymous.GetAsync($"/tickets/attachments/{attachmentId}");
        Assert.True(refused.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"anonymous got {refused.StatusCode}");
        Assert.NotEqual("image/png", refused.Content.Headers.ContentType?.MediaType);
    }
}
