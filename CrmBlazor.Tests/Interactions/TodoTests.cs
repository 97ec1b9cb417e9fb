using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Interactions;

/// <summary>SPEC C2: "My work" lists a user's own open to-dos; overdue ones are marked; only the owner closes or moves one.</summary>
public sealed class TodoTests
{
    [Fact]
    public async Task My_work_lists_my_open_to_dos_soonest_first_marks_overdue_and_lets_me_finish_and_snooze_them()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var colleague = await harness.DemoUserAsync("demo-supervisor"); // one who may see the customer
        Guid customerId;
        await using (var db = harness.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
        }
        var now = DateTime.UtcNow;
        await harness.Get<InteractionService>(rep).LogAsync(new InteractionInput(customerId, "phone", now, "电话沟通", null, null, [], [],
        [
            new TodoInput("下周发送方案", rep.UserId, now.AddDays(7)),
            new TodoInput("昨天就该回电", rep.UserId, now.AddDays(-1)),
            new TodoInput("同事跟进合同", colleague.UserId, now.AddDays(2)),
        ]));
        var todos = harness.Get<TodoService>(rep);

        var mine = await todos.MineAsync();

        Assert.Equal(["昨天就该回电", "下周发送方案"], mine.Select(t => t.What));
        Assert.True(mine[0].IsOverdue);
        Assert.False(mine[1].IsOverdue);
        Assert.Equal(customerId, mine[0].CustomerId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<TodoService>(colleague).CompleteAsync(mine[0].Id, mine[0].Version));
        await todos.CompleteAsync(mine[0].Id, mine[0].Version);
        await todos.SnoozeAsync(mine[1].Id, mine[1].Version, TimeSpan.FromDays(1));

        var after = Assert.Single(await todos.MineAsync());
        Assert.Equal("下周发送方案", after.What);
        Assert.True(after.DueAt > mine[1].DueAt.AddHours(23));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => todos.CompleteAsync(mine[1].Id, mine[1].Version));
        Assert.Equal(["同事跟进合同"], (await harness.Get<TodoService>(colleague).MineAsync()).Select(t => t.What));
    }

    [Fact]
    public async Task My_work_sorts_my_to_dos_by_due_date_customer_or_newest()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        List<(Guid Id, string Name)> customers;
        await using (var db = harness.NewSystemContext())
        {
            customers = (await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => new { c.Id, c.Name }).Take(2).ToListAsync())
                .Select(c => (c.Id, c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        }
        Assert.Equal(2, customers.Count);
        var now = DateTime.UtcNow;
        var interactions = harness.Get<InteractionService>(rep);
        // Logged in this order: the later customer's to-do first and due soonest.
        await interactions.LogAsync(new InteractionInput(customers[1].Id, "phone", now, "第一次", null, null, [], [], [new TodoInput("B 明天", rep.UserId, now.AddDays(1))]));
        await Task.Delay(20);
        await interactions.LogAsync(new InteractionInput(customers[0].Id, "phone", now, "第二次", null, null, [], [], [new TodoInput("A 下周", rep.UserId, now.AddDays(7))]));
        await Task.Delay(20);
        await interactions.LogAsync(new InteractionInput(customers[1].Id, "phone", now, "第三次", null, null, [], [], [new TodoInput("B 后天", rep.UserId, now.AddDays(2))]));
        var todos = harness.Get<TodoService>(rep);

        Assert.Equal(["B 明天", "B 后天", "A 下周"], (await todos.MineAsync(TodoSort.DueDate)).Select(t => t.What));
        Assert.Equal(["A 下周", "B 明天", "B 后天"], (await todos.MineAsync(TodoSort.Customer)).Select(t => t.What));
        Assert.Equal(["B 后天", "A 下周", "B 明天"], (await todos.MineAsync(TodoSort.Newest)).Select(t => t.What));
    }
}
