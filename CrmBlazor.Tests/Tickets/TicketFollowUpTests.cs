using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Reports;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G4 (回访, 满意度): the follow-up visit after resolution, the survey, and the satisfaction statistics — on a FakeTimeProvider in Shanghai time.</summary>
public sealed class TicketFollowUpTests
{
    // Tuesday 2026-09-29 10:00 in Beijing.
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 9, 29, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Resolving_a_ticket_puts_one_follow_up_visit_on_the_assignees_to_do_list_even_when_resolved_again()
    {
        var time = new FakeTimeProvider(TuesdayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: time);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var agent = desk.Agents[0];
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var tickets = harness.Get<TicketService>(agent);

        var ticket = await tickets.ChangeStatusAsync(created.Id, created.Version, TicketStatus.InProgress);
        time.Advance(TimeSpan.FromHours(1));
        ticket = await tickets.ResolveAsync(ticket.Id, ticket.Version, "已修复。");
        // Reopened within the window and resolved again while the visit is still open: still one visit.
        ticket = (await tickets.ReopenAsync(ticket.Id, ticket.Version, "客户说问题又出现了")).Ticket;
        ticket = await tickets.ResolveAsync(ticket.Id, ticket.Version, "再次修复。");
        ticket = await tickets.CloseAsync(ticket.Id, ticket.Version);

        await using var db = harness.NewSystemContext();
        var visit = Assert.Single(await db.Todos.Where(t => t.TicketId == ticket.Id).ToListAsync());
        Assert.Equal((agent.UserId, desk.CustomerId, (Guid?)null, (DateTime?)null), (visit.OwnerId, visit.CustomerId, visit.InteractionId, visit.DoneAt));
        Assert.StartsWith(ticket.Number, visit.What, StringComparison.Ordinal);
        // Resolved Tuesday 11:00: due one working day (9 working hours) later, Wednesday 11:00 Beijing.
        Assert.Equal(new DateTime(2026, 9, 30, 3, 0, 0, DateTimeKind.Utc), visit.DueAt);
        var mine = await harness.Get<TodoService>(agent).MineAsync();
        Assert.Contains(mine, t => t.Id == visit.Id);
    }

    [Fact]
    public async Task Recording_the_survey_completes_the_visit_and_a_second_survey_of_the_same_resolution_is_refused()
    {
        var time = new FakeTimeProvider(TuesdayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: time);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await ResolvedTicketAsync(harness, desk, time);
        var followUps = harness.Get<TicketFollowUpService>(desk.Desk);

        var open = await Assert.ThrowsAsync<ValidationFailedException>(() => followUps.RecordAsync(ticket.Id, ticket.Version, 6, null, reopen: false));
        Assert.Equal("Validation.FollowUpScore", Assert.Single(open.Errors).MessageKey);
        time.Advance(TimeSpan.FromHours(3));
        var result = await followUps.RecordAsync(ticket.Id, ticket.Version, 4, "  响应很快，问题解决了。 ", reopen: false);

        Assert.Null(result.Reopen);
        var recorded = Assert.Single(await followUps.ForTicketAsync(ticket.Id));
        Assert.Equal((4, "响应很快，问题解决了。", time.GetUtcNow().UtcDateTime, desk.Desk.DisplayName, false),
            (recorded.Score, recorded.Comment, recorded.At, recorded.ByName, recorded.Reopened));
        await using (var db = harness.NewSystemContext())
        {
            var visit = await db.Todos.SingleAsync(t => t.TicketId == ticket.Id);
            Assert.Equal(time.GetUtcNow().UtcDateTime, visit.DoneAt);
        }
        var again = await Assert.ThrowsAsync<ValidationFailedException>(() => followUps.RecordAsync(ticket.Id, ticket.Version, 5, null, reopen: false));
        Assert.Equal("Validation.FollowUpRecorded", Assert.Single(again.Errors).MessageKey);
        // A good score tells nobody.
        Assert.Empty(await harness.Get<NotificationService>(desk.Supervisor).MineAsync());
    }

    [Fact]
    public async Task The_customers_timeline_shows_the_recorded_survey_with_its_score_comment_and_who_recorded_it()
    {
        var time = new FakeTimeProvider(TuesdayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: time);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await ResolvedTicketAsync(harness, desk, time);
        time.Advance(TimeSpan.FromHours(2));
        var surveyedAt = time.GetUtcNow().UtcDateTime;

        await harness.Get<TicketFollowUpService>(desk.Desk).RecordAsync(ticket.Id, ticket.Version, 4, "响应很快。", reopen: false);

        await using var db = harness.NewSystemContext();
        var customer = await db.Customers.SingleAsync(c => c.Id == desk.CustomerId);
        var entries = await new TicketTimelineSource().ReadAsync(db, customer, CancellationToken.None);
        var survey = Assert.Single(entries, e => e.Kind == TicketTimelineSource.FollowUp);
        Assert.Equal((surveyedAt, desk.Desk.DisplayName, "响应很快。"), (survey.At, survey.Actor, survey.Detail));
        Assert.Equal([ticket.Number, "4"], survey.Values);
        // Created and resolved stay beside it, the survey last in time.
        Assert.Equal([TicketTimelineSource.Created, TicketTimelineSource.Resolved, TicketTimelineSource.FollowUp], entries.OrderBy(e => e.At).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_score_of_two_tells_the_supervisors_and_reopens_the_ticket_when_asked()
    {
        var time = new FakeTimeProvider(TuesdayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: time);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await ResolvedTicketAsync(harness, desk, time);
        var followUps = harness.Get<TicketFollowUpService>(desk.Desk);

        var noReason = await Assert.ThrowsAsync<ValidationFailedException>(() => followUps.RecordAsync(ticket.Id, ticket.Version, 2, null, reopen: true));
        Assert.Equal("Validation.TicketReopenReasonRequired", Assert.Single(noReason.Errors).MessageKey);
        var result = await followUps.RecordAsync(ticket.Id, ticket.Version, 2, "报表还是打不开", reopen: true);

        Assert.NotNull(result.Reopen);
        Assert.False(result.Reopen.IsNewTicket);
        var detail = await harness.Get<TicketQueries>(desk.Desk).DetailAsync(ticket.Id);
        Assert.Equal(TicketStatus.InProgress, detail.Summary.Status);
        Assert.Contains(detail.Comments, c => c.IsInternal && c.Body == "报表还是打不开");
        var told = Assert.Single(await harness.Get<NotificationService>(desk.Supervisor).MineAsync());
        Assert.Equal(NotificationKinds.TicketLowSatisfaction, told.Kind);
        Assert.Equal([ticket.Number, "2", detail.Summary.CustomerName, "报表还是打不开"], told.Values);
        Assert.Empty(await harness.Get<NotificationService>(desk.Agents[0]).MineAsync(kinds: [NotificationKinds.TicketLowSatisfaction]));
        Assert.True(Assert.Single(await followUps.ForTicketAsync(ticket.Id)).Reopened);

        // Resolved again: a new visit, and this resolution may be surveyed.
        var agent = harness.Get<TicketService>(desk.Agents[0]);
        var again = await agent.ResolveAsync(ticket.Id, detail.Summary.Version, "已彻底修复。");
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(1, await db.Todos.CountAsync(t => t.TicketId == ticket.Id && t.DoneAt == null));
        }
        await followUps.RecordAsync(ticket.Id, again.Version, 5, null, reopen: false);
        Assert.Equal([2, 5], (await followUps.ForTicketAsync(ticket.Id)).Select(f => f.Score));
    }

    [Fact]
    public async Task Satisfaction_is_grouped_by_agent_group_category_and_month_in_Shanghai_time()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 9, 30, 6, 0, 0, TimeSpan.Zero)); // Wednesday 14:00 Beijing
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: time);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 2);
        var first = await ResolvedTicketAsync(harness, desk, time);
        var second = await ResolvedTicketAsync(harness, desk, time);
        var followUps = harness.Get<TicketFollowUpService>(desk.Desk);

        // 2026-09-30 23:00 in Beijing (15:00 UTC): September.
        time.SetUtcNow(new DateTimeOffset(2026, 9, 30, 15, 0, 0, TimeSpan.Zero));
        await followUps.RecordAsync(first.Id, first.Version, 2, "慢", reopen: false);
        // 2026-10-01 00:30 in Beijing, still 30 September in UTC: October.
        time.SetUtcNow(new DateTimeOffset(2026, 9, 30, 16, 30, 0, TimeSpan.Zero));
        await followUps.RecordAsync(second.Id, second.Version, 5, null, reopen: false);

        var reports = harness.Get<TicketReports>(desk.Supervisor);
        var (since, until) = (new DateTime(2026, 8, 31, 16, 0, 0, DateTimeKind.Utc), new DateTime(2026, 10, 31, 16, 0, 0, DateTimeKind.Utc));
        var byMonth = await reports.SatisfactionAsync(since, until, TicketReportBy.Month);
        Assert.Equal([("2026-09", 1, 2.00m), ("2026-10", 1, 5.00m), (ReportQueries.Total, 2, 3.50m)], byMonth.Select(r => (r.Key, r.Surveys, r.Average!.Value)));
        Assert.Equal((1, 1, 0.5m), (byMonth[^1].Satisfied, byMonth[^1].Dissatisfied, byMonth[^1].SatisfiedRate!.Value));

        var byAgent = await reports.SatisfactionAsync(since, until, TicketReportBy.Agent);
        string AgentOf(TicketRef t) => desk.Agents.Single(a => a.UserId == t.AssigneeId).DisplayName;
        Assert.Equal([.. new[] { (AgentOf(first), 2.00m), (AgentOf(second), 5.00m) }.OrderBy(r => r.Item1, StringComparer.Ordinal), (ReportQueries.Total, 3.50m)],
            byAgent.Select(r => (r.Key, r.Average!.Value)));
        var byGroup = await reports.SatisfactionAsync(since, until, TicketReportBy.Group);
        Assert.Equal([("一线支持", 2), (ReportQueries.Total, 2)], byGroup.Select(r => (r.Key, r.Surveys)));
        var byCategory = await reports.SatisfactionAsync(since, until, TicketReportBy.Category);
        Assert.Equal([(ServiceDesk.Category, 2), (ReportQueries.Total, 2)], byCategory.Select(r => (r.Key, r.Surveys)));

        // Only September in Beijing: the survey at 00:30 on 1 October falls outside.
        var september = await reports.SatisfactionAsync(since, new DateTime(2026, 9, 30, 16, 0, 0, DateTimeKind.Utc), TicketReportBy.Month);
        Assert.Equal([("2026-09", 1), (ReportQueries.Total, 1)], september.Select(r => (r.Key, r.Surveys)));
    }

    /// <summary>A ticket logged by the desk, auto-assigned to the next agent, answered and resolved an hour later.</summary>
    private static async Task<TicketRef> ResolvedTicketAsync(DomainHarness harness, ServiceDesk desk, FakeTimeProvider time)
    {
        var created = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        var agent = harness.Get<TicketService>(desk.Agents.Single(a => a.UserId == created.AssigneeId));
        var ticket = await agent.ChangeStatusAsync(created.Id, created.Version, TicketStatus.InProgress);
        time.Advance(TimeSpan.FromHours(1));
        return await agent.ResolveAsync(ticket.Id, ticket.Version, "已修复。");
    }
}
