using System.Text.RegularExpressions;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.WorkingTime;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G1, G2, D5 through the Domain services, on real databases, with the company clock on a FakeTimeProvider.</summary>
public sealed partial class TicketTests
{
    // Friday 2026-09-25 17:30 in Beijing.
    private static readonly DateTimeOffset FridayEvening = new(2026, 9, 25, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Round_robin_gives_a_hundred_tickets_to_four_agents_twenty_five_each()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 4);
        var tickets = harness.Get<TicketService>(desk.Desk);

        var created = new List<TicketRef>();
        for (var i = 0; i < 100; i++)
        {
            created.Add(await tickets.CreateAsync(desk.Input($"工单 {i}")));
        }

        Assert.All(created, t => Assert.Equal(TicketStatus.Assigned, t.Status));
        Assert.Equal(desk.Agents.Select(a => a.UserId!.Value).Order(), created.GroupBy(t => t.AssigneeId!.Value).Select(g => g.Key).Order());
        Assert.All(created.GroupBy(t => t.AssigneeId), g => Assert.Equal(25, g.Count()));
        // Strictly in turn: no agent gets a second ticket before everyone had one.
        Assert.Equal(4, created.Take(4).Select(t => t.AssigneeId).Distinct().Count());
    }

    [Fact]
    public async Task An_agent_marked_away_gets_no_tickets_and_the_others_share_them_evenly()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 4);
        var away = desk.Agents[1];
        await harness.Get<SupportGroupService>(away).SetAwayAsync(away.UserId!.Value, away: true);

        var created = new List<TicketRef>();
        for (var i = 0; i < 30; i++)
        {
            created.Add(await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input($"工单 {i}")));
        }

        Assert.DoesNotContain(created, t => t.AssigneeId == away.UserId);
        Assert.All(created.GroupBy(t => t.AssigneeId), g => Assert.Equal(10, g.Count()));
    }

    [Fact]
    public async Task With_nobody_eligible_the_ticket_waits_in_the_group_queue_and_the_supervisors_are_told()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 2);
        foreach (var agent in desk.Agents)
        {
            await harness.Get<SupportGroupService>(desk.Supervisor).SetAwayAsync(agent.UserId!.Value, away: true);
        }

        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());

        Assert.Equal(TicketStatus.New, ticket.Status);
        Assert.Null(ticket.AssigneeId);
        Assert.Equal(desk.GroupId, ticket.GroupId);
        Assert.Equal(TicketQueueReason.NobodyEligible, ticket.QueueReason);
        var told = await harness.Get<NotificationService>(desk.Supervisor).MineAsync();
        var notice = Assert.Single(told);
        Assert.Equal(NotificationKinds.TicketQueued, notice.Kind);
        Assert.Equal(ticket.Number, notice.Values[0]);
        Assert.Empty(await harness.Get<NotificationService>(desk.Agents[0]).MineAsync());
        var queue = await harness.Get<TicketQueries>(desk.Supervisor).ListAsync(new TicketFilter(GroupId: desk.GroupId, Unassigned: true));
        Assert.Equal(ticket.Id, Assert.Single(queue.Items).Id);
    }

    [Fact]
    public async Task The_assignee_is_notified_and_sees_the_ticket_among_their_open_tickets()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var events = new List<Domain.Live.TicketChanged>();
        using var subscription = harness.LiveEvents.Subscribe(e => { if (e is Domain.Live.TicketChanged changed) { events.Add(changed); } return Task.CompletedTask; });

        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input(severity: TicketSeverity.Critical));

        var notice = Assert.Single(await harness.Get<NotificationService>(desk.Agents[0]).MineAsync());
        Assert.Equal(NotificationKinds.TicketAssigned, notice.Kind);
        Assert.Equal([desk.Desk.DisplayName, ticket.Number], notice.Values.Take(2));
        var mine = await harness.Get<TicketQueries>(desk.Agents[0]).MyOpenAsync();
        Assert.Equal(ticket.Id, Assert.Single(mine).Id);
        Assert.Contains(events, e => e.TicketId == ticket.Id && e.Audience.Contains(Audience.ForUser(desk.Agents[0].UserId!.Value)));
    }

    [Fact]
    public async Task Numbers_read_TK_year_and_five_digits_in_the_company_year_and_never_repeat()
    {
        // New Year's Eve 16:30 UTC is already 1 January 2027 in Shanghai.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 16, 30, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 2);

        var created = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input($"工单 {i}"))));

        Assert.All(created, t => Assert.Matches(NumberFormat(), t.Number));
        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"TK2027{n:00000}"), created.Select(t => t.Number).Order());
    }

    [Theory]
    [InlineData(TicketStatus.Assigned, TicketStatus.Closed)]
    [InlineData(TicketStatus.Assigned, TicketStatus.New)]
    [InlineData(TicketStatus.InProgress, TicketStatus.Assigned)]
    [InlineData(TicketStatus.WaitingForCustomer, TicketStatus.Closed)]
    public async Task An_illegal_move_is_refused_with_a_message_naming_both_statuses_and_changes_nothing(TicketStatus from, TicketStatus to)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var ticket = await agent.CreateAsync(desk.Input());
        if (from != TicketStatus.Assigned)
        {
            if (from == TicketStatus.WaitingForCustomer)
            {
                ticket = await agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress);
            }
            ticket = await agent.ChangeStatusAsync(ticket.Id, ticket.Version, from);
        }

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => agent.ChangeStatusAsync(ticket.Id, ticket.Version, to));

        var error = Assert.Single(refused.Errors);
        Assert.Equal("Validation.TicketTransitionNotAllowed", error.MessageKey);
        Assert.Equal(new object[] { new TextKey($"Ticket.Status.{from}"), new TextKey($"Ticket.Status.{to}") }, error.Arguments);
        Assert.Contains($"from {from} to {to}", refused.Message, StringComparison.Ordinal);
        var now = await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(ticket.Id);
        Assert.Equal(from, now.Summary.Status);
        Assert.Equal(ticket.Version, now.Summary.Version);
    }

    [Fact]
    public async Task Every_change_leaves_a_history_row_with_who_when_and_from_to()
    {
        var clock = new FakeTimeProvider(FridayEvening);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 2);
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var other = desk.Agents.Single(a => a.UserId != ticket.AssigneeId);

        clock.Advance(TimeSpan.FromMinutes(5));
        ticket = await harness.Get<TicketService>(desk.Supervisor).AssignAsync(ticket.Id, ticket.Version, other.UserId!.Value);
        clock.Advance(TimeSpan.FromMinutes(5));
        var agent = harness.Get<TicketService>(other);
        ticket = await agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress);
        ticket = await agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.WaitingForCustomer);
        ticket = await agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress);
        ticket = await agent.ResolveAsync(ticket.Id, ticket.Version, "已修复报表缓存，请刷新后重试。");
        await agent.CloseAsync(ticket.Id, ticket.Version);

        var detail = await harness.Get<TicketQueries>(desk.Supervisor).DetailAsync(ticket.Id);
        Assert.Equal(
        [
            (TicketFields.Created, null, ticket.Number, desk.Desk.DisplayName),
            (TicketFields.Assignee, null, desk.Agents.Single(a => a.UserId != other.UserId).DisplayName, desk.Desk.DisplayName),
            (TicketFields.Status, "New", "Assigned", desk.Desk.DisplayName),
            (TicketFields.Assignee, desk.Agents.Single(a => a.UserId != other.UserId).DisplayName, other.DisplayName, desk.Supervisor.DisplayName),
            (TicketFields.Status, "Assigned", "InProgress", other.DisplayName),
            (TicketFields.Status, "InProgress", "WaitingForCustomer", other.DisplayName),
            (TicketFields.Status, "WaitingForCustomer", "InProgress", other.DisplayName),
            (TicketFields.Status, "InProgress", "Resolved", other.DisplayName),
            (TicketFields.Status, "Resolved", "Closed", other.DisplayName),
        ], detail.History.Select(h => (h.Field, h.From, h.To, h.ByName)));
        Assert.Equal(new DateTime(2026, 9, 25, 9, 40, 0, DateTimeKind.Utc), detail.History[^1].At);
        var reply = Assert.Single(detail.Comments);
        Assert.False(reply.IsInternal);
        Assert.Equal(TicketStatus.Closed, detail.Summary.Status);
    }

    [Fact]
    public async Task Waiting_five_working_hours_for_the_customer_moves_the_resolution_deadline_five_working_hours()
    {
        var clock = new FakeTimeProvider(FridayEvening);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var ticket = await agent.CreateAsync(desk.Input(severity: TicketSeverity.High));
        var before = await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(ticket.Id);
        Assert.Equal(Beijing(2026, 9, 28, 16, 30), before.Summary.ResponseDueAt); // 8 working hours: 0.5 Friday, 7.5 Monday
        Assert.Equal(Beijing(2026, 9, 30, 17, 30), before.Summary.ResolutionDueAt); // 3 working days (27 h)

        ticket = await agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.WaitingForCustomer); // Friday 17:30
        clock.SetUtcNow(new DateTimeOffset(Beijing(2026, 9, 28, 13, 30), TimeSpan.Zero)); // Monday 13:30: 0.5 + 4.5 working hours later
        var paused = await harness.Get<TicketQueries>(desk.Agents[0]).ListAsync(new TicketFilter(Breached: true));
        Assert.Empty(paused.Items);
        await agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress);

        var after = await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(ticket.Id);
        Assert.Equal(300, after.PausedMinutes);
        Assert.Equal(Beijing(2026, 10, 1, 13, 30), after.Summary.ResolutionDueAt);
        Assert.Equal(Beijing(2026, 9, 25, 17, 30), after.Summary.FirstResponseAt); // waiting for the customer told them something
    }

    [Fact]
    public async Task A_tier_tightened_policy_puts_an_S_customers_high_ticket_on_the_critical_clock()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var admin = await harness.DemoUserAsync("demo-admin");
        await harness.Get<SlaPolicyService>(admin).SetAsync(TicketSeverity.High, "S", 240, 1440, SlaMode.AroundTheClock);
        Guid sCustomer, aCustomer;
        await using (var db = harness.NewSystemContext())
        {
            var customers = await db.Customers.OrderBy(c => c.Number).Take(2).ToListAsync();
            (customers[0].Tier, customers[1].Tier) = ("S", "A");
            await db.SaveChangesAsync();
            (sCustomer, aCustomer) = (customers[0].Id, customers[1].Id);
        }
        var tickets = harness.Get<TicketService>(desk.Desk);
        var queries = harness.Get<TicketQueries>(desk.Desk);

        var forS = await queries.DetailAsync((await tickets.CreateAsync(desk.Input(severity: TicketSeverity.High, customerId: sCustomer))).Id);
        var forA = await queries.DetailAsync((await tickets.CreateAsync(desk.Input(severity: TicketSeverity.High, customerId: aCustomer))).Id);

        Assert.Equal(Beijing(2026, 9, 25, 21, 30), forS.Summary.ResponseDueAt);
        Assert.Equal(Beijing(2026, 9, 26, 17, 30), forS.Summary.ResolutionDueAt);
        Assert.Equal(SlaMode.AroundTheClock, forS.SlaMode);
        Assert.Equal(Beijing(2026, 9, 28, 16, 30), forA.Summary.ResponseDueAt);
        Assert.Equal(SlaMode.WorkingHours, forA.SlaMode);
    }

    [Fact]
    public async Task A_customer_facing_reply_is_the_first_response_and_an_internal_note_is_not()
    {
        var clock = new FakeTimeProvider(FridayEvening);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var ticket = await agent.CreateAsync(desk.Input());

        await agent.CommentAsync(ticket.Id, "先查一下服务器日志。", isInternal: true);
        clock.Advance(TimeSpan.FromMinutes(20));
        await agent.CommentAsync(ticket.Id, "您好，我们正在排查，请稍候。", isInternal: false);
        clock.Advance(TimeSpan.FromMinutes(20));
        await agent.CommentAsync(ticket.Id, "第二次回复。", isInternal: false);

        var detail = await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(ticket.Id);
        Assert.Equal(FridayEvening.UtcDateTime.AddMinutes(20), detail.Summary.FirstResponseAt);
        Assert.Equal([true, false, false], detail.Comments.Select(c => c.IsInternal));
        Assert.Equal(TicketStatus.Assigned, detail.Summary.Status);
    }

    [Fact]
    public async Task Reopening_within_the_window_resumes_the_ticket_and_later_opens_a_new_one_linked_to_it()
    {
        var clock = new FakeTimeProvider(FridayEvening);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: clock);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var ticket = await agent.CreateAsync(desk.Input());
        ticket = await agent.ResolveAsync(ticket.Id, ticket.Version, "已处理。");

        clock.Advance(TimeSpan.FromDays(3));
        var reopened = await agent.ReopenAsync(ticket.Id, ticket.Version, "客户说问题又出现了");
        Assert.False(reopened.IsNewTicket);
        Assert.Equal(ticket.Id, reopened.Ticket.Id);
        Assert.Equal(TicketStatus.InProgress, reopened.Ticket.Status);

        ticket = await agent.ResolveAsync(ticket.Id, reopened.Ticket.Version);
        ticket = await agent.CloseAsync(ticket.Id, ticket.Version);
        clock.Advance(TimeSpan.FromDays(8));
        var late = await Assert.ThrowsAsync<ValidationFailedException>(() => agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress));
        Assert.Equal("Validation.TicketReopenWindowPassed", Assert.Single(late.Errors).MessageKey);
        var followUp = await agent.ReopenAsync(ticket.Id, ticket.Version, "一周后又复现");

        Assert.True(followUp.IsNewTicket);
        Assert.NotEqual(ticket.Id, followUp.Ticket.Id);
        var detail = await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(followUp.Ticket.Id);
        Assert.Equal(ticket.Id, detail.ReopenedFromId);
        Assert.Equal(ticket.Number, detail.ReopenedFromNumber);
        var old = await harness.Get<TicketQueries>(desk.Agents[0]).DetailAsync(ticket.Id);
        Assert.Equal(TicketStatus.Closed, old.Summary.Status);
        Assert.Equal((TicketFields.FollowedUpBy, followUp.Ticket.Number), (old.History[^1].Field, old.History[^1].To));
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var ticket = await agent.CreateAsync(desk.Input());
        await agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.InProgress);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => agent.ChangeStatusAsync(ticket.Id, ticket.Version, TicketStatus.Resolved));
    }

    [Fact]
    public async Task Permissions_and_scope_a_rep_reads_only_own_customers_tickets_and_logs_none_and_the_contact_must_be_the_customers()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6, time: new FakeTimeProvider(FridayEvening));
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Guid repCustomer, otherCustomer, otherContact;
        await using (var db = harness.NewSystemContext())
        {
            repCustomer = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
            otherCustomer = await db.Customers.Where(c => c.OwnerId != rep.UserId).Select(c => c.Id).FirstAsync();
            otherContact = await db.Contacts.Where(c => c.CustomerId == otherCustomer).Select(c => c.Id).FirstAsync();
        }
        var tickets = harness.Get<TicketService>(desk.Desk);
        var mine = await tickets.CreateAsync(desk.Input(customerId: repCustomer));
        var theirs = await tickets.CreateAsync(desk.Input(customerId: otherCustomer));

        var seen = await harness.Get<TicketQueries>(rep).ListAsync(new TicketFilter());
        Assert.Equal([mine.Id], seen.Items.Select(t => t.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<TicketQueries>(rep).DetailAsync(theirs.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<TicketService>(rep).CreateAsync(desk.Input(customerId: repCustomer)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<TicketService>(desk.Agents[0]).AssignAsync(theirs.Id, theirs.Version, desk.Desk.UserId!.Value));
        var wrongContact = await Assert.ThrowsAsync<ValidationFailedException>(() => tickets.CreateAsync(desk.Input(customerId: repCustomer) with { ContactId = otherContact }));
        Assert.Equal("Validation.TicketContactNotOfCustomer", Assert.Single(wrongContact.Errors).MessageKey);
        var analyst = await harness.DemoUserAsync("demo-analyst");
        Assert.Equal(2, (await harness.Get<TicketQueries>(analyst).ListAsync(new TicketFilter())).TotalCount);
    }

    private static DateTime Beijing(int year, int month, int day, int hour, int minute) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, minute, 0), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    [GeneratedRegex(@"^TK\d{4}\d{5}$")]
    private static partial Regex NumberFormat();
}
