using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Interactions;

/// <summary>SPEC C2 and C3 with a fake clock: each reminder fires once, when it should.</summary>
public sealed class ReminderJobTests
{
    private static readonly DateTimeOffset Monday = new(2030, 6, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_to_do_due_tomorrow_at_ten_is_reminded_once_at_ten_today_and_once_at_due()
    {
        var clock = new FakeTimeProvider(Monday);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 2, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Guid customerId;
        await using (var db = harness.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
            // Keep the not-contacted rule out of this test.
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, Monday.UtcDateTime.AddDays(30)));
        }
        var due = new DateTime(2030, 6, 4, 10, 0, 0, DateTimeKind.Utc);
        await harness.Get<InteractionService>(rep).LogAsync(new InteractionInput(customerId, "phone", Monday.UtcDateTime, "电话", null, null, [], [], [new TodoInput("发送报价", rep.UserId, due)]));

        async Task<List<string>> PassAtAsync(DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            await harness.Get<ReminderJob>(System).RunAsync();
            return (await harness.Get<NotificationService>(rep).MineAsync()).Select(n => n.Kind).ToList();
        }

        Assert.Empty(await PassAtAsync(new DateTimeOffset(2030, 6, 3, 9, 59, 0, TimeSpan.Zero)));
        Assert.Equal([ReminderJob.TodoDueSoon], await PassAtAsync(new DateTimeOffset(2030, 6, 3, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal([ReminderJob.TodoDueSoon], await PassAtAsync(new DateTimeOffset(2030, 6, 3, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal([ReminderJob.TodoDue, ReminderJob.TodoDueSoon], await PassAtAsync(new DateTimeOffset(2030, 6, 4, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal(2, (await PassAtAsync(new DateTimeOffset(2030, 6, 4, 11, 0, 0, TimeSpan.Zero))).Count);
    }

    [Fact]
    public async Task The_not_contacted_for_three_days_rule_fires_once_on_day_four_and_not_again_on_day_five()
    {
        var clock = new FakeTimeProvider(Monday);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Guid quietId;
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, Monday.UtcDateTime.AddDays(30)));
            quietId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
            await db.Customers.Where(c => c.Id == quietId).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.LastContactAt, Monday.UtcDateTime).SetProperty(c => c.Status, CustomerStatuses.Active));
        }
        var job = () => harness.Get<ReminderJob>(System).RunAsync();

        clock.SetUtcNow(Monday.AddDays(2));
        await job();
        Assert.Empty(await harness.Get<NotificationService>(rep).MineAsync());

        clock.SetUtcNow(Monday.AddDays(4));
        await job();
        await job();
        clock.SetUtcNow(Monday.AddDays(5));
        await job();

        var reminder = Assert.Single(await harness.Get<NotificationService>(rep).MineAsync());
        Assert.Equal(ReminderJob.NotContacted, reminder.Kind);
        var profile = await harness.Get<CustomerQueries>(rep).GetProfileAsync(quietId);
        Assert.Equal(CustomerStatuses.Silent, profile.Customer.Status);
        var change = Assert.Single(profile.Timeline, e => e.Kind == LifecycleTimelineSource.StatusChanged);
        Assert.Contains("3 天未联系", change.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_monthly_verification_reminder_follows_the_first_of_the_month_in_Shanghai_not_in_UTC()
    {
        // 28 February 18:00 UTC is 1 March 02:00 in Shanghai; 1 March 17:00 UTC is already 2 March there.
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 2, 28, 15, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, clock.GetUtcNow().UtcDateTime.AddDays(60)));
        }
        async Task<int> VerifyRemindersAtAsync(DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            await harness.Get<ReminderJob>(System).RunAsync();
            return (await harness.Get<NotificationService>(rep).MineAsync()).Count(n => n.Kind == ReminderJob.VerifyData);
        }

        Assert.Equal(0, await VerifyRemindersAtAsync(new DateTimeOffset(2027, 2, 28, 15, 59, 0, TimeSpan.Zero))); // 23:59 on the 28th there
        Assert.Equal(1, await VerifyRemindersAtAsync(new DateTimeOffset(2027, 2, 28, 18, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1, await VerifyRemindersAtAsync(new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero))); // same month: once
        Assert.Equal(1, await VerifyRemindersAtAsync(new DateTimeOffset(2027, 3, 31, 15, 59, 0, TimeSpan.Zero))); // 23:59 on 31 March there
        Assert.Equal(2, await VerifyRemindersAtAsync(new DateTimeOffset(2027, 3, 31, 16, 0, 0, TimeSpan.Zero))); // 1 April there
    }

    private static readonly CrmBlazor.Domain.Access.SystemUser System = CrmBlazor.Domain.Access.SystemUser.Instance;
}

/// <summary>SPEC C3: Admin sets the rules; the next pass follows them.</summary>
public sealed class ReminderRulesTests
{
    [Fact]
    public async Task Admin_lengthens_the_quiet_period_and_the_pass_follows_it_and_nobody_else_may_change_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 6, 3, 8, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, clock.GetUtcNow().UtcDateTime.AddDays(-5)).SetProperty(c => c.Status, CustomerStatuses.Active));
        }

        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.AccessDeniedException>(() => harness.Get<ReminderRulesService>(rep).SaveAsync(24, 1, true));
        var bad = await Assert.ThrowsAsync<CrmBlazor.Domain.Common.ValidationFailedException>(() => harness.Get<ReminderRulesService>(admin).SaveAsync(24, 0, true));
        Assert.Equal("Validation.NotContactedRange", Assert.Single(bad.Errors).MessageKey);
        await harness.Get<ReminderRulesService>(admin).SaveAsync(24, 7, false);
        await harness.Get<ReminderJob>(CrmBlazor.Domain.Access.SystemUser.Instance).RunAsync();

        Assert.Empty(await harness.Get<NotificationService>(rep).MineAsync());
        Assert.Equal(7, (await harness.Get<ReminderRulesService>(rep).GetAsync()).NotContactedDays);
    }
}
