using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Customers;

public sealed class CustomerConcurrencyTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_second_of_two_edits_from_the_same_version_gets_a_conflict_and_overwrites_nothing(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 6);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Customer opened;
        await using (var db = harness.NewSystemContext())
        {
            opened = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId == rep.UserId);
        }

        // Both opened the form at the same version; the supervisor saves first.
        await harness.Get<CustomerService>(supervisor).UpdateAsync(opened.Id, opened.Version, CustomerInputs.From(opened) with { Name = "主管改的名字有限公司", Notes = "主管备注" });
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            harness.Get<CustomerService>(rep).UpdateAsync(opened.Id, opened.Version, CustomerInputs.From(opened) with { Name = "销售改的名字有限公司", Notes = "销售备注" }));

        Assert.Equal("Error.Conflict", conflict.MessageKey);
        await using var check = harness.NewSystemContext();
        var stored = await check.Customers.AsNoTracking().SingleAsync(c => c.Id == opened.Id);
        Assert.Equal("主管改的名字有限公司", stored.Name);
        Assert.Equal("主管备注", stored.Notes);
        Assert.Equal(opened.Version + 1, stored.Version);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Truly_simultaneous_edits_let_exactly_one_win(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4);
        var admin = await harness.DemoUserAsync("demo-admin");
        Customer opened;
        await using (var db = harness.NewSystemContext())
        {
            opened = await db.Customers.AsNoTracking().FirstAsync();
        }

        var attempts = Enumerable.Range(1, 5).Select(async i =>
        {
            try
            {
                await harness.Get<CustomerService>(admin).UpdateAsync(opened.Id, opened.Version, CustomerInputs.From(opened) with { Name = $"并发修改{i}有限公司" });
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        });
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
        await using var check = harness.NewSystemContext();
        Assert.Equal(opened.Version + 1, (await check.Customers.AsNoTracking().SingleAsync(c => c.Id == opened.Id)).Version);
    }
}
