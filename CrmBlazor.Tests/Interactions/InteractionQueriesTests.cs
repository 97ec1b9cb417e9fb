using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Interactions;

/// <summary>The record-returning reads the API serves: a customer's interactions (paged, newest first, within scope) and a dictionary's entries.</summary>
public sealed class InteractionQueriesTests
{
    [Fact]
    public async Task A_customers_interactions_come_newest_first_paged_with_their_to_dos_and_another_rep_is_refused()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.AsNoTracking().FirstAsync(c => c.OwnerId == rep.UserId);
        var before = await db.Interactions.CountAsync(i => i.CustomerId == customer.Id);
        var log = harness.Get<InteractionService>(rep);
        var first = new DateTime(2040, 1, 6, 2, 0, 0, DateTimeKind.Utc);
        await log.LogAsync(new InteractionInput(customer.Id, "phone", first, "首次电话", null, null, [], [], []));
        var latest = await log.LogAsync(new InteractionInput(customer.Id, "visit", first.AddDays(2), "上门演示", "演示新版本", null, [], [],
            [new TodoInput("发送报价", rep.UserId, first.AddDays(5))]));
        await log.LogAsync(new InteractionInput(customer.Id, "email", first.AddDays(1), "邮件跟进", null, null, [], [], []));

        var page = await harness.Get<InteractionQueries>(rep).ListAsync(customer.Id, 0, 2);
        var next = await harness.Get<InteractionQueries>(rep).ListAsync(customer.Id, 1, 2);

        Assert.Equal(before + 3, page.TotalCount);
        Assert.Equal(["上门演示", "邮件跟进"], page.Items.Select(i => i.Topic));
        Assert.Equal(latest.Id, page.Items[0].Id);
        Assert.Equal(rep.DisplayName, page.Items[0].ByName);
        var todo = Assert.Single(page.Items[0].Todos);
        Assert.Equal(("发送报价", rep.UserId!.Value), (todo.What, todo.OwnerId));
        Assert.Equal("首次电话", next.Items[0].Topic);
        var colleague = await harness.DemoUserAsync("demo-salesrep2");
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<InteractionQueries>(colleague).ListAsync(customer.Id, 0, 2));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Get<InteractionQueries>(rep).ListAsync(Guid.NewGuid(), 0, 2));
    }

    [Fact]
    public async Task A_dictionarys_entries_are_in_order_with_inactive_ones_flagged()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        await using (var db = harness.NewSystemContext())
        {
            var care = await db.DictionaryItems.SingleAsync(d => d.Kind == DictionaryKind.InteractionType && d.Code == "care");
            care.IsActive = false;
            await db.SaveChangesAsync();
        }

        var entries = await harness.Get<DictionaryService>(await harness.DemoUserAsync("demo-analyst")).EntriesAsync(DictionaryKind.InteractionType);

        Assert.Equal(entries.OrderBy(e => e.Order).ThenBy(e => e.Code, StringComparer.Ordinal).Select(e => e.Code), entries.Select(e => e.Code));
        Assert.Contains(new DictionaryEntry("phone", "电话沟通", "Phone call", true, entries.Single(e => e.Code == "phone").Order), entries);
        Assert.False(entries.Single(e => e.Code == "care").IsActive);
    }
}
