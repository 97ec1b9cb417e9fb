using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Customers;

/// <summary>SPEC A4: a bulk delete waits for another person's approval, then runs once, within the requester's scope.</summary>
public sealed class CustomerBulkDeleteTests
{
    [Fact]
    public async Task A_bulk_delete_waits_for_approval_then_deletes_the_chosen_customers_once_and_audits_each()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 12);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        List<Guid> chosen;
        await using (var db = harness.NewSystemContext())
        {
            chosen = await db.Customers.OrderBy(c => c.Number).Select(c => c.Id).Take(3).ToListAsync();
        }
        var bulk = harness.Get<CustomerBulkDelete>(supervisor);
        var request = await bulk.RequestAsync(chosen);
        Assert.Equal(["3"], System.Text.Json.JsonSerializer.Deserialize<List<string>>(request.SummaryFacts!)); // a count: the approvers' bells name no customer

        await Assert.ThrowsAsync<AccessDeniedException>(() => bulk.ExecuteAsync(request.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version, true, null)); // not one's own
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(3, await db.Customers.CountAsync(c => chosen.Contains(c.Id)));
        }
        await harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version, true, null);

        Assert.Equal(3, await bulk.ExecuteAsync(request.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => bulk.ExecuteAsync(request.Id));
        await using var check = harness.NewSystemContext();
        Assert.Equal(0, await check.Customers.CountAsync(c => chosen.Contains(c.Id)));
        Assert.Equal(3, await check.AuditEntries.CountAsync(a => a.Action == AuditAction.Delete && a.EntityType == nameof(Customer) && chosen.Select(id => id.ToString()).Contains(a.EntityId!)));
    }

    [Fact]
    public async Task Only_those_who_may_delete_can_ask_and_only_for_customers_in_scope()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        Guid outside;
        await using (var db = harness.NewSystemContext())
        {
            outside = await db.Customers.Select(c => c.Id).FirstAsync();
            await db.Customers.Where(c => c.Id == outside).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerId, admin.UserId));
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<CustomerBulkDelete>(rep).RequestAsync([outside]));
        await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<CustomerBulkDelete>(supervisor).RequestAsync([outside]));
    }
}
