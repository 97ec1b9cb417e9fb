using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Notifications;

/// <summary>SPEC C4 and D5: stored once per event, told live to its user only, read everywhere at once.</summary>
public sealed class NotificationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_same_event_notifies_once_and_only_its_user_hears_of_it(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var heard = new List<NotificationsChanged>();
        using var subscription = harness.LiveEvents.Subscribe<NotificationsChanged>(e => { heard.Add(e); return Task.CompletedTask; });
        var service = harness.Get<NotificationService>(other);

        var subject = NotificationSubject.Customer(Guid.Parse("0190f0c4-5a55-7000-8000-000000000001"));
        var first = await service.NotifyAsync(rep.UserId!.Value, NotificationKinds.TodoAssigned, ["刘芳", "回访", "某公司"], subject, "todo-assigned:1");
        var again = await harness.Get<NotificationService>(other).NotifyAsync(rep.UserId!.Value, NotificationKinds.TodoAssigned, ["刘芳", "回访", "某公司"], NotificationSubject.Customers, "todo-assigned:1");

        Assert.True(first);
        Assert.False(again);
        var change = Assert.Single(heard);
        Assert.Equal([CrmBlazor.Domain.Access.Audience.ForUser(rep.UserId!.Value)], change.Audience);
        var mine = await harness.Get<NotificationService>(rep).MineAsync();
        Assert.Equal(["刘芳", "回访", "某公司"], Assert.Single(mine).Values);
        Assert.Equal(subject, mine[0].Subject); // the first writer's
        Assert.Equal(1, await harness.Get<NotificationService>(rep).UnreadCountAsync());
        Assert.Empty(await harness.Get<NotificationService>(other).MineAsync());

        await harness.Get<NotificationService>(rep).MarkReadAsync(null);

        Assert.Equal(0, await harness.Get<NotificationService>(rep).UnreadCountAsync());
        Assert.Equal(2, heard.Count);
    }

    [Fact]
    public async Task A_to_do_given_to_a_colleague_notifies_the_colleague_and_not_the_author()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var colleague = await harness.DemoUserAsync("demo-supervisor"); // a colleague who may see the customer
        Guid customerId;
        await using (var db = harness.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
        }

        await harness.Get<InteractionService>(rep).LogAsync(new InteractionInput(customerId, "visit", DateTime.UtcNow, "拜访", null, null, [], [],
            [new TodoInput("整理会议纪要", rep.UserId, DateTime.UtcNow.AddDays(1)), new TodoInput("起草合同", colleague.UserId, DateTime.UtcNow.AddDays(2))]));

        var theirs = Assert.Single(await harness.Get<NotificationService>(colleague).MineAsync());
        Assert.Equal(NotificationKinds.TodoAssigned, theirs.Kind);
        Assert.Equal(rep.DisplayName, theirs.Values[0]);
        Assert.Equal("起草合同", theirs.Values[1]);
        Assert.Equal(NotificationSubject.Customer(customerId), theirs.Subject);
        Assert.Empty(await harness.Get<NotificationService>(rep).MineAsync());
    }

    [Fact]
    public async Task My_reminders_are_the_reminder_kinds_only()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var service = harness.Get<NotificationService>(rep);
        await service.NotifyAsync(rep.UserId!.Value, NotificationKinds.TodoAssigned, ["刘芳", "回访", "某公司"], null, "assigned:1");
        await service.NotifyAsync(rep.UserId!.Value, ReminderJob.NotContacted, ["某公司", "3"], null, "not-contacted:1");
        await service.NotifyAsync(rep.UserId!.Value, ReminderJob.VerifyData, ["某公司"], null, "verify:1");

        var reminders = await service.MineAsync(kinds: ReminderJob.Kinds);

        Assert.Equal([ReminderJob.NotContacted, ReminderJob.VerifyData], reminders.Select(n => n.Kind).Order());
        Assert.Equal(3, (await service.MineAsync()).Count);
    }
}
