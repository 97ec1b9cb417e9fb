using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Reports;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC E4: ticket SLA compliance — first response and resolution met / breached / running — for a hand-built set of tickets.</summary>
public sealed class TicketSlaReportTests
{
    private static readonly DateTime Now = new(2026, 10, 20, 2, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Compliance_counts_each_clock_per_group_agent_and_severity_for_tickets_opened_in_the_range(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 2, time: new FakeTimeProvider(new DateTimeOffset(Now)));
        var (x, y) = (await harness.DemoUserAsync("demo-service"), await harness.DemoUserAsync("demo-salesrep"));
        Guid groupA, groupB, customerId;
        await using (var db = harness.NewSystemContext())
        {
            var a = new SupportGroup { Name = "一线支持" };
            var b = new SupportGroup { Name = "二线支持" };
            db.SupportGroups.AddRange(a, b);
            customerId = await db.Customers.Select(c => c.Id).FirstAsync();
            (groupA, groupB) = (a.Id, b.Id);
            var opened = new DateTime(2026, 10, 10, 2, 0, 0, DateTimeKind.Utc);
            var n = 0;
            Ticket T(Guid group, TestUser? agent, TicketSeverity severity, int respondedAfter, int respondDue, int? resolvedAfter, int resolveDue, int? pausedAfter = null, DateTime? openedAt = null) => new()
            {
                Number = $"TK2026{++n:00000}", CustomerId = customerId, Category = "bug", Title = "t", Description = "d", Severity = severity,
                Status = resolvedAfter is null ? (pausedAfter is null ? TicketStatus.InProgress : TicketStatus.WaitingForCustomer) : TicketStatus.Resolved,
                GroupId = group, AssigneeId = agent?.UserId, OpenedAt = openedAt ?? opened,
                FirstResponseAt = respondedAfter < 0 ? null : (openedAt ?? opened).AddHours(respondedAfter), ResponseDueAt = (openedAt ?? opened).AddHours(respondDue),
                ResolvedAt = resolvedAfter is { } r ? (openedAt ?? opened).AddHours(r) : null, ResolutionDueAt = (openedAt ?? opened).AddHours(resolveDue),
                PausedSince = pausedAfter is { } p ? (openedAt ?? opened).AddHours(p) : null,
            };
            db.Tickets.AddRange(
                T(groupA, x, TicketSeverity.Critical, 1, 4, 20, 24),                    // both met
                T(groupA, x, TicketSeverity.High, 9, 8, 80, 72),                        // both late
                T(groupA, y, TicketSeverity.High, -1, 8, null, 24 * 30),                // no answer, past due; resolution still running
                T(groupB, null, TicketSeverity.Low, -1, 24 * 30, null, 24 * 60),        // both running
                T(groupB, y, TicketSeverity.Medium, 2, 9, null, 45, pausedAfter: 50),   // answered in time; waiting since after its deadline
                T(groupA, x, TicketSeverity.Critical, 1, 4, 20, 24, openedAt: new DateTime(2026, 9, 30, 15, 0, 0, DateTimeKind.Utc))); // 23:00 on 30 Sep in Beijing: outside
            await db.SaveChangesAsync();
        }
        var reports = harness.Get<TicketReports>(await harness.DemoUserAsync("demo-admin"));
        // October in Beijing.
        var (since, until) = (new DateTime(2026, 9, 30, 16, 0, 0, DateTimeKind.Utc), new DateTime(2026, 10, 31, 16, 0, 0, DateTimeKind.Utc));

        var byGroup = await reports.SlaComplianceAsync(since, until, TicketReportBy.Group);
        Assert.Equal(
        [
            new TicketSlaRow("一线支持", 3, 1, 2, 0, 1, 1, 1),
            new TicketSlaRow("二线支持", 2, 1, 0, 1, 0, 1, 1),
            new TicketSlaRow(ReportQueries.Total, 5, 2, 2, 1, 1, 2, 2),
        ], byGroup);
        Assert.Equal((1m / 3, 0.5m), (byGroup[0].ResponseRate, byGroup[0].ResolutionRate));
        Assert.Equal((1m, 0m), (byGroup[1].ResponseRate, byGroup[1].ResolutionRate));

        var byAgent = await reports.SlaComplianceAsync(since, until, TicketReportBy.Agent);
        // Named agents by name, then the unassigned, then the total.
        Assert.Equal(
        [
            .. new[] { (x.DisplayName, 2, 1, 1, 1, 1), (y.DisplayName, 2, 1, 1, 0, 1) }.OrderBy(r => r.Item1, StringComparer.Ordinal),
            ("", 1, 0, 0, 0, 0),
            (ReportQueries.Total, 5, 2, 2, 1, 2),
        ], byAgent.Select(r => (r.Key, r.Tickets, r.ResponseMet, r.ResponseBreached, r.ResolutionMet, r.ResolutionBreached)));

        var bySeverity = await reports.SlaComplianceAsync(since, until, TicketReportBy.Severity);
        Assert.Equal(["Critical", "High", "Medium", "Low", ReportQueries.Total], bySeverity.Select(r => r.Key));
        Assert.Equal((2, 0, 2), (bySeverity[1].Tickets, bySeverity[1].ResponseMet, bySeverity[1].ResponseBreached));

        await Assert.ThrowsAsync<ValidationFailedException>(() => reports.SlaComplianceAsync(since, until, TicketReportBy.Month));
    }
}
