using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Uploads;
using CrmBlazor.Tests.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Customers;

/// <summary>Issue #12 §3: a deleted customer's demand evidence leaves the evidence folder too, once the deletion has committed.</summary>
public sealed class CustomerEvidenceCleanupTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deleting_a_customer_removes_its_demands_evidence_files_and_keeps_everyone_elses(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        var (deleted, kept) = await TwoCustomersOfAsync(harness, rep);
        var deletedFile = await CloseWithEvidenceAsync(harness, rep, deleted);
        var keptFile = await CloseWithEvidenceAsync(harness, rep, kept);
        Assert.True(File.Exists(deletedFile));

        var customer = await VersionOfAsync(harness, deleted);
        await harness.Get<CustomerService>(admin).DeleteAsync(deleted, customer);

        Assert.False(File.Exists(deletedFile), "the deleted customer's evidence is gone from storage");
        Assert.True(File.Exists(keptFile), "another customer's evidence stays");
        await using var db = harness.NewSystemContext();
        Assert.False(await db.Demands.AnyAsync(d => d.CustomerId == deleted));
    }

    [Fact]
    public async Task An_approved_bulk_delete_removes_the_evidence_files_of_every_deleted_customer()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        var (first, second) = await TwoCustomersOfAsync(harness, rep);
        string[] files = [await CloseWithEvidenceAsync(harness, rep, first), await CloseWithEvidenceAsync(harness, rep, second)];
        var bulk = harness.Get<CustomerBulkDelete>(supervisor);
        var request = await bulk.RequestAsync([first, second]);
        await harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version, true, null);

        Assert.Equal(2, await bulk.ExecuteAsync(request.Id));

        Assert.All(files, f => Assert.False(File.Exists(f), $"{f} is gone"));
    }

    [Fact]
    public async Task A_file_that_cannot_be_removed_does_not_undo_the_deletion()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        var (deleted, _) = await TwoCustomersOfAsync(harness, rep);
        var file = await CloseWithEvidenceAsync(harness, rep, deleted);
        // A directory where the file was: File.Delete fails on it, as on a locked or read-only share.
        File.Delete(file);
        Directory.CreateDirectory(file);
        File.WriteAllText(Path.Combine(file, "held"), "x");

        await harness.Get<CustomerService>(admin).DeleteAsync(deleted, await VersionOfAsync(harness, deleted));

        await using var db = harness.NewSystemContext();
        Assert.False(await db.Customers.AnyAsync(c => c.Id == deleted));
        Assert.True(Directory.Exists(file));
    }

    private static async Task<(Guid, Guid)> TwoCustomersOfAsync(DomainHarness harness, TestUser user)
    {
        await using var db = harness.NewSystemContext();
        var ids = await db.Customers.Where(c => c.OwnerId == user.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
        return (ids[0], ids[1]);
    }

    private static async Task<int> VersionOfAsync(DomainHarness harness, Guid customerId)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.Id == customerId).Select(c => c.Version).SingleAsync();
    }

    /// <summary>A demand of the customer closed with one screenshot; the path of the stored file.</summary>
    private static async Task<string> CloseWithEvidenceAsync(DomainHarness harness, TestUser rep, Guid customerId)
    {
        var demands = harness.Get<DemandService>(rep);
        var demand = await demands.CreateAsync(new DemandInput(customerId, "确认交付", "existing", DemandPriority.Medium, null));
        await demands.CloseAsync(demand.Id, demand.Version, [new FileUpload("确认截图.png", new MemoryStream(DemandTests.Png))]);
        await using var db = harness.NewSystemContext();
        var stored = await db.DemandEvidence.Where(e => e.DemandId == demand.Id).Select(e => e.StoredName).SingleAsync();
        return Path.Combine(harness.EvidenceRoot, stored);
    }
}
