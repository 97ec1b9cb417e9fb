using System.Data;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Data;

/// <summary>
/// Contexts are pooled (docs/decisions/0028): a call that keeps its connection open for several queries must hand the
/// context back closed, or every later renter of it would hold a connection until it is disposed.
/// </summary>
public sealed class ContextPoolTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task After_the_customer_and_demand_lists_every_pooled_context_closes_its_connection_after_a_query(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 3);
        var admin = await harness.DemoUserAsync("demo-admin");
        Assert.Equal(3, (await harness.Get<CustomerQueries>(admin).ListAsync(new CustomerFilter(), 0, 50)).TotalCount);
        await harness.Get<DemandQueries>(admin).ListAsync(new DemandListFilter(), 0, 50);

        // Held at once, so the pool hands out every context it keeps, the lists' among them.
        var factory = harness.Get<IDbContextFactory<CrmDbContext>>(admin);
        var contexts = new List<CrmDbContext>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var db = await factory.CreateDbContextAsync();
                contexts.Add(db);
                Assert.Equal(3, await db.Customers.CountAsync());
                Assert.Equal(ConnectionState.Closed, db.Database.GetDbConnection().State);
            }
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }
}
