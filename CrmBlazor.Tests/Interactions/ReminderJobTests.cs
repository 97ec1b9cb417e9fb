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
    public async Task A_to_do_snoozed_at_due_is_reminded_again_once_at_its_new_due_time()
    {
        var clock = new FakeTimeProvider(Monday);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 2, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Guid customerId;
        await using (var db = harness.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
            await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, Monday.UtcDateTime.AddDays(30)));
        }
        var due = Monday.AddHours(2);
        await harness.Get<InteractionService>(rep).LogAsync(new InteractionInput(customerId, "phone", Monday.UtcDateTime, "电话", null, null, [], [], [new TodoInput("回电", rep.UserId, due.UtcDateTime)]));

        async Task<int> DueRemindersAtAsync(DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            await PassAsync(harness);
            await PassAsync(harness);
            return await CountAsync(harness, rep, ReminderJob.TodoDue);
        }

        Assert.Equal(1, await DueRemindersAtAsync(due));
        var todos = harness.Get<TodoService>(rep);
        var todo = Assert.Single(await todos.MineAsync(), t => t.What == "回电");
        await todos.SnoozeAsync(todo.Id, todo.Version, TimeSpan.FromDays(1));

        Assert.Equal(1, await DueRemindersAtAsync(due.AddHours(23)));
        Assert.Equal(2, await DueRemindersAtAsync(due.AddDays(1)));
        Assert.Equal(2, await DueRemindersAtAsync(due.AddDays(1).AddHours(3)));
    }

    [Fact]
    public async Task A_customer_not_contacted_for_three_days_is_reminded_once_on_day_four_and_stays_active()
    {
        var (clock, harness, rep, quietId) = await QuietCustomerAsync();
        await using var _ = harness;

        clock.SetUtcNow(Monday.AddDays(2));
        await PassAsync(harness);
        Assert.Equal(0, await CountAsync(harness, rep, ReminderJob.NotContacted));

        clock.SetUtcNow(Monday.AddDays(4));
        await PassAsync(harness);
        await PassAsync(harness);
        clock.SetUtcNow(Monday.AddDays(5));
        await PassAsync(harness);

        var reminder = Assert.Single(await harness.Get<NotificationService>(rep).MineAsync());
        Assert.Equal(ReminderJob.NotContacted, reminder.Kind);
        var profile = await harness.Get<CustomerQueries>(rep).GetProfileAsync(quietId);
        Assert.Equal(CustomerStatuses.Active, profile.Customer.Status);
        Assert.DoesNotContain(profile.Timeline, e => e.Kind == LifecycleTimelineSource.StatusChanged);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_reminder_repeats_once_per_interval_until_someone_contacts_the_customer_and_a_contact_starts_over(DatabaseProvider provider)
    {
        var (clock, harness, rep, quietId) = await QuietCustomerAsync(provider);
        await using var _ = harness;

        async Task<int> RemindersAtAsync(TimeSpan sinceMonday)
        {
            clock.SetUtcNow(Monday + sinceMonday);
            await PassAsync(harness);
            await PassAsync(harness);
            return await CountAsync(harness, rep, ReminderJob.NotContacted);
        }

        // Days are company calendar days (Asia/Shanghai): the last contact is Monday 16:00 there, so day N starts
        // at midnight Shanghai time, 16 hours before "N × 24 h later".
        static TimeSpan StartOfDay(int n) => TimeSpan.FromDays(n) - TimeSpan.FromHours(16);
        var aMinute = TimeSpan.FromMinutes(1);

        Assert.Equal(0, await RemindersAtAsync(StartOfDay(3) - aMinute));
        Assert.Equal(1, await RemindersAtAsync(StartOfDay(3)));
        Assert.Equal(1, await RemindersAtAsync(StartOfDay(10) - aMinute));
        Assert.Equal(2, await RemindersAtAsync(StartOfDay(10)));
        Assert.Equal(2, await RemindersAtAsync(TimeSpan.FromDays(16)));
        Assert.Equal(3, await RemindersAtAsync(TimeSpan.FromDays(17.5)));

        var contactAt = Monday.AddDays(18).UtcDateTime;
        clock.SetUtcNow(contactAt);
        await harness.Get<InteractionService>(rep).LogAsync(new InteractionInput(quietId, "phone", contactAt, "回访", null, null, [], [], []));
        Assert.Equal(3, await RemindersAtAsync(StartOfDay(21) - aMinute));
        Assert.Equal(4, await RemindersAtAsync(StartOfDay(21)));
        Assert.Equal(4, await RemindersAtAsync(StartOfDay(28) - aMinute));
        Assert.Equal(5, await RemindersAtAsync(StartOfDay(28)));
    }

    [Fact]
    public async Task Days_are_company_calendar_days_a_call_late_on_Monday_is_three_days_old_at_midnight_on_Thursday_in_Shanghai()
    {
        var (clock, harness, rep, quietId) = await QuietCustomerAsync();
        await using var _ = harness;
        // Monday 23:30 in Shanghai is 15:30 UTC; Thursday 00:00 there is Wednesday 16:00 UTC, 48.5 hours later.
        var lateMonday = new DateTime(2030, 6, 3, 15, 30, 0, DateTimeKind.Utc);
        await using (var db = harness.NewSystemContext())
        {
            await db.Customers.Where(c => c.Id == quietId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, lateMonday));
        }

        clock.SetUtcNow(new DateTimeOffset(2030, 6, 5, 15, 59, 0, TimeSpan.Zero)); // Wednesday 23:59 there
        await PassAsync(harness);
        Assert.Equal(0, await CountAsync(harness, rep, ReminderJob.NotContacted));

        clock.SetUtcNow(new DateTimeOffset(2030, 6, 5, 16, 0, 0, TimeSpan.Zero)); // Thursday 00:00 there
        await PassAsync(harness);
        var reminder = Assert.Single(await harness.Get<NotificationService>(rep).MineAsync(), n => n.Kind == ReminderJob.NotContacted);
        Assert.Equal("3", reminder.Values[1]);
    }

    [Fact]
    public async Task A_customer_not_contacted_for_ninety_days_turns_silent_on_day_ninety_one_once_and_is_still_reminded()
    {
        var (clock, harness, rep, quietId) = await QuietCustomerAsync();
        await using var _ = harness;

        clock.SetUtcNow(Monday.AddDays(89));
        await PassAsync(harness);
        Assert.Equal(CustomerStatuses.Active, (await harness.Get<CustomerQueries>(rep).GetProfileAsync(quietId)).Customer.Status);

        clock.SetUtcNow(Monday.AddDays(91));
        await PassAsync(harness);
        await PassAsync(harness);
        clock.SetUtcNow(Monday.AddDays(92));
        await PassAsync(harness);

        var profile = await harness.Get<CustomerQueries>(rep).GetProfileAsync(quietId);
        Assert.Equal(CustomerStatuses.Silent, profile.Customer.Status);
        var change = Assert.Single(profile.Timeline, e => e.Kind == LifecycleTimelineSource.StatusChanged);
        Assert.True(SystemReasons.TryRead(change.Detail, out var key, out var arguments));
        Assert.Equal(SystemReasons.SilentAfterDays, key);
        Assert.Equal(["90"], arguments);
        Assert.Equal(1, await CountAsync(harness, rep, ReminderJob.TurnedSilent));

        // Silent, and still nobody called: the repeat due on day 3 + 13 × 7 = 94 still comes.
        var before = await CountAsync(harness, rep, ReminderJob.NotContacted);
        clock.SetUtcNow(Monday.AddDays(94));
        await PassAsync(harness);
        Assert.Equal(before + 1, await CountAsync(harness, rep, ReminderJob.NotContacted));
    }

    /// <summary>Three customers, all contacted in the future but one of the rep's, last contacted on <see cref="Monday"/>.</summary>
    private static async Task<(FakeTimeProvider Clock, DomainHarness Harness, TestUser Rep, Guid QuietId)> QuietCustomerAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var clock = new FakeTimeProvider(Monday);
        var harness = await DomainHarness.CreateAsync(provider, customers: 3, time: clock);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        await using var db = harness.NewSystemContext();
        await db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.LastContactAt, Monday.UtcDateTime.AddDays(300)));
        var quietId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
        await db.Customers.Where(c => c.Id == quietId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.LastContactAt, Monday.UtcDateTime).SetProperty(c => c.Status, CustomerStatuses.Active));
        return (clock, harness, rep, quietId);
    }

    private static Task PassAsync(DomainHarness harness) => harness.Get<ReminderJob>(System).RunAsync();

    private static async Task<int> CountAsync(DomainHarness harness, TestUser user, string kind)
    {
        await using var db = harness.NewSystemContext();
        return await db.Notifications.CountAsync(n => n.UserId == user.UserId && n.Kind == kind);
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

        var rules = harness.Get<ReminderRulesService>(admin);
        await Assert.ThrowsAsync<CrmBlazor.Domain.Common.AccessDeniedException>(() => harness.Get<ReminderRulesService>(rep).SaveAsync(new ReminderRulesInput(24, 1, 7, 90, true)));
        var bad = await Assert.ThrowsAsync<CrmBlazor.Domain.Common.ValidationFailedException>(() => rules.SaveAsync(new ReminderRulesInput(24, 0, 0, 90, true)));
        Assert.Equal(["Validation.NotContactedRange", "Validation.RepeatEveryRange"], bad.Errors.Select(e => e.MessageKey));
        var silentTooSoon = await Assert.ThrowsAsync<CrmBlazor.Domain.Common.ValidationFailedException>(() => rules.SaveAsync(new ReminderRulesInput(24, 10, 7, 5, true)));
        Assert.Equal((nameof(ReminderRules.SilentAfterDays), "Validation.SilentBeforeReminder"), (Assert.Single(silentTooSoon.Errors).Field, silentTooSoon.Errors[0].MessageKey));
        await rules.SaveAsync(new ReminderRulesInput(24, 7, 14, 120, false));
        await harness.Get<ReminderJob>(CrmBlazor.Domain.Access.SystemUser.Instance).RunAsync();

        Assert.Empty(await harness.Get<NotificationService>(rep).MineAsync());
        var saved = await harness.Get<ReminderRulesService>(rep).GetAsync();
        Assert.Equal((7, 14, 120, false), (saved.NotContactedDays, saved.RepeatEveryDays, saved.SilentAfterDays, saved.MonthlyVerification));
    }
}
