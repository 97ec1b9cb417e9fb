using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Customers;

/// <summary>
/// The search keys have no foreign key to cascade (docs/decisions/0030): each way a customer is deleted — one by one,
/// an approved bulk delete, a merge — deletes its keys in the same transaction, and leaves every other customer's.
/// </summary>
public sealed class SearchKeyCleanupTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Deleting_bulk_deleting_and_merging_customers_leave_no_search_key_without_its_customer(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 11, 2, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 24, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        List<Guid> mine, others;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(5).ToListAsync();
            others = await db.Customers.Where(c => !mine.Contains(c.Id)).Select(c => c.Id).ToListAsync();
        }
        Assert.Equal(5, mine.Count);
        Assert.NotEmpty(others);
        var (deleted, bulk1, bulk2, merged, survivor) = (mine[0], mine[1], mine[2], mine[3], mine[4]);
        var gone = new[] { deleted, bulk1, bulk2, merged };
        var goneKeys = await KeysOfAsync(harness, gone);
        Assert.All(gone, id => Assert.True(goneKeys.GetValueOrDefault(id) > 0, "each customer starts with search keys"));
        var othersKeys = await KeysOfAsync(harness, others);

        await harness.Get<CustomerService>(admin).DeleteAsync(deleted, await VersionOfAsync(harness, deleted));
        var bulk = harness.Get<CustomerBulkDelete>(supervisor);
        var bulkRequest = await bulk.RequestAsync([bulk1, bulk2]);
        await harness.Get<ApprovalService>(admin).DecideAsync(bulkRequest.Id, bulkRequest.Version, true, null);
        Assert.Equal(2, await bulk.ExecuteAsync(bulkRequest.Id));
        await using (var db = harness.NewSystemContext())
        {
            // Completed on the app's clock, as every other approval.
            Assert.Equal(clock.GetUtcNow().UtcDateTime, await db.ApprovalRequests.Where(a => a.Id == bulkRequest.Id).Select(a => a.CompletedAt).SingleAsync());
        }
        var merge = harness.Get<CustomerMerge>(rep);
        var mergeRequest = await merge.RequestAsync(new MergePlan(survivor, merged, []));
        await harness.Get<ApprovalService>(supervisor).DecideAsync(mergeRequest.Id, mergeRequest.Version, approve: true, "同一家公司");
        await merge.ExecuteAsync(mergeRequest.Id);

        Assert.Empty(await KeysOfAsync(harness, gone));
        await using var check = harness.NewSystemContext();
        Assert.False(await check.CustomerSearchTokens.AnyAsync(t => !check.Customers.Any(c => c.Id == t.CustomerId)), "no key is left without its customer");
        Assert.Equal(othersKeys, await KeysOfAsync(harness, others)); // everyone else's keys untouched
        var survivorNumber = await check.Customers.Where(c => c.Id == survivor).Select(c => c.Number).SingleAsync();
        Assert.Equal([survivor], await CustomerSearch.Matching(check, check.Customers, survivorNumber).Select(c => c.Id).ToListAsync());
    }

    private static async Task<Dictionary<Guid, int>> KeysOfAsync(DomainHarness harness, IReadOnlyCollection<Guid> ids)
    {
        await using var db = harness.NewSystemContext();
        return await db.CustomerSearchTokens.Where(t => ids.Contains(t.CustomerId)).GroupBy(t => t.CustomerId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
    }

    private static async Task<int> VersionOfAsync(DomainHarness harness, Guid customerId)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.Id == customerId).Select(c => c.Version).SingleAsync();
    }
}
