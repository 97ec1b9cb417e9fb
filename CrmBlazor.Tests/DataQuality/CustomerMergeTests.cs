using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.DataQuality;

/// <summary>SPEC H4 + A4: an approved merge moves every child record to the survivor, once, and the old number still finds it.</summary>
public sealed class CustomerMergeTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_approved_merge_moves_every_child_record_and_the_merged_number_resolves_to_the_survivor(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 12);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        Customer survivor, merged;
        Guid tagId;
        await using (var db = harness.NewSystemContext())
        {
            var mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Take(2).ToListAsync();
            (survivor, merged) = (mine[0], mine[1]);
            await db.Customers.Where(c => c.Id == merged.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Notes, "来自被合并客户的备注").SetProperty(c => c.City, "绍兴")
                .SetProperty(c => c.Status, survivor.Status == CustomerStatuses.Silent ? CustomerStatuses.Active : CustomerStatuses.Silent));
            var interaction = new Interaction { CustomerId = merged.Id, Type = "call", At = DateTime.UtcNow, Summary = "合并前的互动", ByName = rep.DisplayName };
            db.Interactions.Add(interaction);
            db.Todos.Add(new TodoItem { InteractionId = interaction.Id, CustomerId = merged.Id, What = "回访", OwnerId = rep.UserId!.Value, DueAt = DateTime.UtcNow.AddDays(1) });
            db.Orders.Add(new CrmBlazor.Domain.Tiering.Order { CustomerId = merged.Id, Number = "HT-MERGE-1", SignedOn = new DateOnly(2026, 3, 1), AmountFen = 123_400 });
            tagId = await db.Tags.Select(t => t.Id).FirstAsync();
            await db.CustomerTags.Where(t => t.CustomerId == merged.Id || t.CustomerId == survivor.Id).ExecuteDeleteAsync();
            db.CustomerTags.Add(new CrmBlazor.Domain.Tags.CustomerTag { CustomerId = merged.Id, TagId = tagId });
            await db.SaveChangesAsync();
        }
        var before = await ChildrenAsync(harness, survivor.Id, merged.Id);
        Assert.True(before.Merged.Contacts > 0 && before.Merged.Interactions > 0 && before.Merged.Orders > 0);

        var merge = harness.Get<CustomerMerge>(rep);
        var request = await merge.RequestAsync(new MergePlan(survivor.Id, merged.Id, [MergeField.Notes, MergeField.Status]));

        // Nothing moves before a supervisor approves.
        await Assert.ThrowsAsync<AccessDeniedException>(() => merge.ExecuteAsync(request.Id));
        Assert.Equal(before, await ChildrenAsync(harness, survivor.Id, merged.Id));
        await harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version, approve: true, "同一家公司");

        Assert.Equal(survivor.Id, await merge.ExecuteAsync(request.Id));

        var after = await ChildrenAsync(harness, survivor.Id, merged.Id);
        Assert.Equal(new Children(0, 0, 0, 0, 0, 0), after.Merged);
        Assert.Equal(before.Survivor.Contacts + before.Merged.Contacts, after.Survivor.Contacts);
        Assert.Equal(before.Survivor.Interactions + before.Merged.Interactions, after.Survivor.Interactions);
        Assert.Equal(before.Survivor.Todos + before.Merged.Todos, after.Survivor.Todos);
        Assert.Equal(before.Survivor.Demands + before.Merged.Demands, after.Survivor.Demands);
        Assert.Equal(before.Survivor.Orders + before.Merged.Orders, after.Survivor.Orders);
        Assert.Equal(1, after.Survivor.Tags);
        await using (var db = harness.NewSystemContext())
        {
            Assert.False(await db.Customers.AnyAsync(c => c.Id == merged.Id));
            var stored = await db.Customers.SingleAsync(c => c.Id == survivor.Id);
            Assert.Equal(("来自被合并客户的备注", survivor.City, survivor.Name), (stored.Notes, stored.City, stored.Name)); // notes taken, city kept
            // The status taken is in its history, the reason a key each reader's language words.
            Assert.True(await db.CustomerStatusChanges.AnyAsync(s => s.CustomerId == survivor.Id && s.Reason == SystemReasons.Of(SystemReasons.MergedFrom, merged.Number)));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == AuditAction.Merge && a.EntityId!.StartsWith($"{merged.Number} → {survivor.Number}")));
        }

        // The merged number, and the merged customer's old id, lead to the survivor.
        var queries = harness.Get<CustomerQueries>(rep);
        Assert.Equal(survivor.Id, await queries.ResolveNumberAsync(merged.Number));
        Assert.Equal(survivor.Id, await queries.MergedIntoAsync(merged.Id));
        var found = await queries.ListAsync(new CustomerFilter { Search = merged.Number }, 0, 10);
        Assert.Equal([survivor.Id], found.Items.Select(c => c.Id));

        // Once only.
        await Assert.ThrowsAsync<AccessDeniedException>(() => merge.ExecuteAsync(request.Id));
    }

    [Fact]
    public async Task A_merge_is_refused_for_a_customer_outside_the_requesters_scope()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 12);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Guid mine, other;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
            other = await db.Customers.Where(c => c.OwnerId != rep.UserId).Select(c => c.Id).FirstAsync();
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<CustomerMerge>(rep).RequestAsync(new MergePlan(mine, other, [])));
        await using var check = harness.NewSystemContext();
        Assert.Equal(0, await check.ApprovalRequests.CountAsync());
    }

    [Fact]
    public async Task A_merge_that_fails_when_carried_out_leaves_the_approval_usable()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 12);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var admin = await harness.DemoUserAsync("demo-admin");
        List<Guid> mine;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
        }
        var merge = harness.Get<CustomerMerge>(rep);
        var request = await merge.RequestAsync(new MergePlan(mine[0], mine[1], []));
        await harness.Get<ApprovalService>(admin).DecideAsync(request.Id, request.Version, approve: true, null);
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.Where(c => c.Id == mine[0]).ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerId, admin.UserId)); // handed over meanwhile
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => merge.ExecuteAsync(request.Id));

        await using var check = harness.NewSystemContext();
        Assert.Equal(ApprovalStatus.Approved, (await check.ApprovalRequests.SingleAsync(a => a.Id == request.Id)).Status);
        Assert.Equal(2, await check.Customers.CountAsync(c => mine.Contains(c.Id)));
    }

    private sealed record Children(int Contacts, int Interactions, int Todos, int Demands, int Orders, int Tags);

    private static async Task<(Children Survivor, Children Merged)> ChildrenAsync(DomainHarness harness, Guid survivor, Guid merged)
    {
        await using var db = harness.NewSystemContext();
        async Task<Children> Of(Guid id) => new(
            await db.Contacts.CountAsync(c => c.CustomerId == id), await db.Interactions.CountAsync(i => i.CustomerId == id),
            await db.Todos.CountAsync(t => t.CustomerId == id), await db.Demands.CountAsync(d => d.CustomerId == id),
            await db.Orders.CountAsync(o => o.CustomerId == id), await db.CustomerTags.CountAsync(t => t.CustomerId == id));
        return (await Of(survivor), await Of(merged));
    }
}
