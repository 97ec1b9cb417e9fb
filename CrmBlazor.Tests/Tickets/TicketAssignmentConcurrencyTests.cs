using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G2 under scale-out: two service hosts (two DI containers, two context factories) on one PostgreSQL database.</summary>
public sealed class TicketAssignmentConcurrencyTests
{
    [Fact]
    public async Task Forty_tickets_created_in_parallel_through_two_hosts_are_each_assigned_once_and_evenly()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 9, 25, 2, 0, 0, TimeSpan.Zero));
        await using var first = await DomainHarness.CreateAsync(DatabaseProvider.Postgres, customers: 3, time: clock);
        await using var second = DomainHarness.SecondHostOf(first, clock);
        var desk = await ServiceDesk.CreateAsync(first, agents: 4);

        var created = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).Get<TicketService>(desk.Desk).CreateAsync(desk.Input($"并发工单 {i}")))));

        Assert.Equal(40, created.Select(t => t.Number).Distinct().Count());
        Assert.All(created, t => Assert.NotNull(t.AssigneeId));
        var perAgent = created.GroupBy(t => t.AssigneeId!.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(desk.Agents.Select(a => a.UserId!.Value).Order(), perAgent.Keys.Order());
        Assert.All(perAgent.Values, count => Assert.InRange(count, 9, 11));
        await using var db = first.NewSystemContext();
        Assert.Equal(40, await db.SupportGroups.Where(g => g.Id == desk.GroupId).Select(g => g.AssignmentTurn).SingleAsync());
        Assert.Equal(40, await db.TicketHistory.CountAsync(h => h.Field == TicketFields.Assignee));
    }
}
