using System.Collections.Concurrent;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G3: the SLA watch's 75% warnings and breach alerts on a FakeTimeProvider, once across two hosts.</summary>
public sealed class TicketSlaJobTests
{
    // Monday 2026-09-28 10:00 in Beijing. Critical tickets run around the clock: respond 4 h (warned at 3 h), resolve 24 h (warned at 18 h).
    private static readonly DateTimeOffset MondayMorning = new(2026, 9, 28, 2, 0, 0, TimeSpan.Zero);

    private static readonly string[] TicketSlaKinds =
    [
        NotificationKinds.TicketResponseWarning, NotificationKinds.TicketResponseBreached,
        NotificationKinds.TicketResolutionWarning, NotificationKinds.TicketResolutionBreached,
    ];

    [Fact]
    public async Task The_assignee_is_warned_at_75_percent_of_the_response_target_and_not_a_minute_before()
    {
        var clock = new FakeTimeProvider(MondayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input(severity: TicketSeverity.Critical));

        clock.Advance(TimeSpan.FromHours(3) - TimeSpan.FromMinutes(1));
        await PassAsync(harness);
        Assert.Empty(await SlaNoticesAsync(harness, desk.Agents[0]));

        clock.Advance(TimeSpan.FromMinutes(1));
        await PassAsync(harness);
        await PassAsync(harness);

        var warning = Assert.Single(await SlaNoticesAsync(harness, desk.Agents[0]));
        Assert.Equal(NotificationKinds.TicketResponseWarning, warning.Kind);
        Assert.Equal(ticket.Number, warning.Values[0]);
        Assert.Equal(MondayMorning.UtcDateTime.AddHours(4), DateTime.Parse(warning.Values[2], null, System.Globalization.DateTimeStyles.RoundtripKind));
        Assert.Equal(NotificationSubject.Ticket(ticket.Id), warning.Subject);
        Assert.Empty(await SlaNoticesAsync(harness, desk.Supervisor));
    }

    [Fact]
    public async Task At_each_deadline_the_assignee_and_the_group_supervisors_are_alerted_and_the_resolution_warning_comes_at_75_percent()
    {
        var clock = new FakeTimeProvider(MondayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input(severity: TicketSeverity.Critical));
        var agent = desk.Agents[0];

        clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        await PassAsync(harness);

        // A pass that finds the deadline gone sends the alert, not a late warning as well.
        Assert.Equal([NotificationKinds.TicketResponseBreached], (await SlaNoticesAsync(harness, agent)).Select(n => n.Kind));
        Assert.Equal([NotificationKinds.TicketResponseBreached], (await SlaNoticesAsync(harness, desk.Supervisor)).Select(n => n.Kind));

        await harness.Get<TicketService>(agent).ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress);
        clock.SetUtcNow(MondayMorning.AddHours(18) - TimeSpan.FromMinutes(1));
        await PassAsync(harness);
        Assert.Single(await SlaNoticesAsync(harness, agent));

        clock.SetUtcNow(MondayMorning.AddHours(18));
        await PassAsync(harness);
        Assert.Equal(NotificationKinds.TicketResolutionWarning, (await SlaNoticesAsync(harness, agent))[0].Kind);
        Assert.Single(await SlaNoticesAsync(harness, desk.Supervisor));

        clock.SetUtcNow(MondayMorning.AddHours(24) + TimeSpan.FromMinutes(1));
        await PassAsync(harness);
        await PassAsync(harness);
        Assert.Equal(
            [NotificationKinds.TicketResolutionBreached, NotificationKinds.TicketResolutionWarning, NotificationKinds.TicketResponseBreached],
            (await SlaNoticesAsync(harness, agent)).Select(n => n.Kind));
        Assert.Equal(
            [NotificationKinds.TicketResolutionBreached, NotificationKinds.TicketResponseBreached],
            (await SlaNoticesAsync(harness, desk.Supervisor)).Select(n => n.Kind));
        await using var db = harness.NewSystemContext();
        var stored = await db.Tickets.SingleAsync(t => t.Id == ticket.Id);
        Assert.NotNull(stored.ResolutionBreachedAt);
        Assert.Equal(ticket.Version + 1, stored.Version); // the pass marks without bumping the version: nobody's open card conflicts
    }

    [Fact]
    public async Task A_ticket_waiting_for_the_customer_is_not_warned_and_on_resume_its_warning_moves_on_by_the_pause()
    {
        var clock = new FakeTimeProvider(MondayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = desk.Agents[0];
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input(severity: TicketSeverity.Critical));

        clock.Advance(TimeSpan.FromHours(1));
        ticket = await harness.Get<TicketService>(agent).ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.WaitingForCustomer);
        clock.SetUtcNow(MondayMorning.AddHours(30)); // past the 18 h warning and the 24 h deadline, but paused since hour 1
        await PassAsync(harness);
        Assert.Empty(await SlaNoticesAsync(harness, agent));
        Assert.Empty(await SlaNoticesAsync(harness, desk.Supervisor));

        // Back after 29 paused hours: warned at 18 + 29 = 47 h, not before.
        await harness.Get<TicketService>(agent).ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress);
        clock.SetUtcNow(MondayMorning.AddHours(47) - TimeSpan.FromMinutes(1));
        await PassAsync(harness);
        Assert.Empty(await SlaNoticesAsync(harness, agent));

        clock.SetUtcNow(MondayMorning.AddHours(47));
        await PassAsync(harness);
        var warning = Assert.Single(await SlaNoticesAsync(harness, agent));
        Assert.Equal(NotificationKinds.TicketResolutionWarning, warning.Kind);
        Assert.Equal(MondayMorning.UtcDateTime.AddHours(24 + 29), DateTime.Parse(warning.Values[2], null, System.Globalization.DateTimeStyles.RoundtripKind));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_hosts_running_the_pass_at_the_same_time_store_and_deliver_each_notification_and_each_ticket_change_once(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(MondayMorning);
        await using var first = await DomainHarness.CreateAsync(provider, customers: 3, time: clock);
        await using var second = DomainHarness.SecondHostOf(first, clock);
        var desk = await ServiceDesk.CreateAsync(first, agents: 2);
        var created = new List<TicketRef>();
        for (var i = 0; i < 6; i++)
        {
            created.Add(await first.Get<TicketService>(desk.Desk).CreateAsync(desk.Input($"超时工单 {i}", TicketSeverity.Critical)));
        }
        var delivered = new ConcurrentBag<NotificationsChanged>();
        Task Count(NotificationsChanged e)
        {
            delivered.Add(e);
            return Task.CompletedTask;
        }
        using var onFirst = first.LiveEvents.Subscribe<NotificationsChanged>(Count);
        using var onSecond = second.LiveEvents.Subscribe<NotificationsChanged>(Count);
        var changes = new ConcurrentBag<TicketChanged>();
        Task CountChange(TicketChanged e)
        {
            changes.Add(e);
            return Task.CompletedTask;
        }
        using var changesOnFirst = first.LiveEvents.Subscribe<TicketChanged>(CountChange);
        using var changesOnSecond = second.LiveEvents.Subscribe<TicketChanged>(CountChange);

        clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(1)); // the response warnings
        await Task.WhenAll(PassAsync(first), PassAsync(second), PassAsync(first), PassAsync(second));
        Assert.Equal(created.Select(t => t.Id).Order(), changes.Select(e => e.TicketId).Order()); // each ticket told once, by the host that marked it
        clock.Advance(TimeSpan.FromHours(1)); // the response breaches
        await Task.WhenAll(PassAsync(first), PassAsync(second), PassAsync(first), PassAsync(second));

        await using var db = first.NewSystemContext();
        var stored = await db.Notifications.AsNoTracking().Where(n => TicketSlaKinds.Contains(n.Kind)).ToListAsync();
        // Per ticket: a warning to its agent, then the alert to its agent and to the supervisor.
        Assert.Equal(6 * 3, stored.Count);
        Assert.Equal(stored.Count, stored.Select(n => (n.Kind, n.UserId, n.Subject)).Distinct().Count());
        Assert.Equal(6, stored.Count(n => n.UserId == desk.Supervisor.UserId && n.Kind == NotificationKinds.TicketResponseBreached));
        Assert.All(created, t => Assert.Equal(2, stored.Count(n => n.UserId == t.AssigneeId && n.Subject == NotificationSubject.Ticket(t.Id).ToString())));
        // One live event per stored notification, whichever host stored it.
        Assert.Equal(stored.GroupBy(n => n.UserId).ToDictionary(g => g.Key, g => g.Count()),
            delivered.GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Count()));
        Assert.Equal(created.SelectMany(t => new[] { t.Id, t.Id }).Order(), changes.Select(e => e.TicketId).Order()); // and once more at the breach
    }

    [Fact]
    public async Task A_pass_that_marks_a_ticket_tells_it_live_once_to_its_audience_so_open_boards_redraw_its_breach()
    {
        var clock = new FakeTimeProvider(MondayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var tickets = harness.Get<TicketService>(desk.Desk);
        var critical = await tickets.CreateAsync(desk.Input("生产环境无法登录", TicketSeverity.Critical));
        var low = await tickets.CreateAsync(desk.Input("修改报表字体", TicketSeverity.Low));
        var changes = new ConcurrentBag<TicketChanged>();
        using var subscription = harness.LiveEvents.Subscribe<TicketChanged>(e =>
        {
            changes.Add(e);
            return Task.CompletedTask;
        });

        clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1)); // the critical ticket's response breach; the low one has days
        await PassAsync(harness);
        await PassAsync(harness);

        var change = Assert.Single(changes);
        Assert.Equal((critical.Id, desk.CustomerId, desk.GroupId, nameof(TicketStatus.Assigned), (Guid?)null),
            (change.TicketId, change.CustomerId, change.GroupId, change.Status, change.ChangedBy));
        Assert.Contains(Audience.ForUser(desk.Agents[0].UserId!.Value), change.Audience);
        Assert.Contains(Audience.ForUser(desk.Supervisor.UserId!.Value), change.Audience);
        Assert.Contains(Audience.ForRole(Role.CustomerService), change.Audience);
        var breached = await harness.Get<TicketQueries>(desk.Supervisor).ListAsync(new TicketFilter(GroupId: desk.GroupId, Breached: true));
        Assert.Equal([critical.Number], breached.Items.Select(t => t.Number)); // what a board re-reading on the event shows
        Assert.DoesNotContain(changes, e => e.TicketId == low.Id);
    }

    [Fact]
    public async Task One_pass_works_through_more_due_tickets_than_a_batch_holds()
    {
        var clock = new FakeTimeProvider(MondayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var count = TicketSlaJob.BatchSize * 2 + 7;
        var now = MondayMorning.UtcDateTime;
        await using (var db = harness.NewSystemContext())
        {
            db.Tickets.AddRange(Enumerable.Range(0, count).Select(i => new Ticket
            {
                Number = $"TK2026{90000 + i}", CustomerId = desk.CustomerId, Category = ServiceDesk.Category, Title = $"批量工单 {i}", Description = "—",
                Severity = TicketSeverity.Critical, Status = TicketStatus.Assigned, GroupId = desk.GroupId, AssigneeId = desk.Agents[0].UserId,
                ResponseTargetMinutes = 240, ResolutionTargetMinutes = 1440, OpenedAt = now.AddHours(-3),
                ResponseWarnAt = now.AddMinutes(-i % 50), ResponseDueAt = now.AddHours(1), ResolutionWarnAt = now.AddHours(15), ResolutionDueAt = now.AddHours(21),
            }));
            await db.SaveChangesAsync();
        }

        await PassAsync(harness);

        await using var check = harness.NewSystemContext();
        Assert.Equal(count, await check.Notifications.CountAsync(n => n.Kind == NotificationKinds.TicketResponseWarning));
        Assert.Equal(count, await check.Tickets.CountAsync(t => t.ResponseWarnedAt == now));
    }

    private static async Task PassAsync(DomainHarness harness)
    {
        await using var scope = harness.As(SystemUser.Instance);
        await scope.ServiceProvider.GetRequiredService<TicketSlaJob>().RunAsync();
    }

    /// <summary>The user's SLA notifications, newest first.</summary>
    private static Task<IReadOnlyList<NotificationView>> SlaNoticesAsync(DomainHarness harness, TestUser user) =>
        harness.Get<NotificationService>(user).MineAsync(kinds: TicketSlaKinds);
}
