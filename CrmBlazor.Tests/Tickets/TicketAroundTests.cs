using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC H4 and C1 around tickets: a merge takes the merged customer's tickets along; an interaction links one of the customer's tickets.</summary>
public sealed class TicketAroundTests
{
    private static readonly DateTimeOffset TuesdayMorning = new(2026, 9, 29, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Merging_two_customers_moves_the_merged_ones_tickets_with_their_follow_up_visits_and_linked_interactions(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(TuesdayMorning);
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 12, time: time);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        List<Guid> mine;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Take(2).Select(c => c.Id).ToListAsync();
        }
        var (survivorId, mergedId) = (mine[0], mine[1]);
        var tickets = harness.Get<TicketService>(desk.Agents[0]);
        var open = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input("未结工单", customerId: mergedId));
        var done = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input("已解决工单", customerId: mergedId));
        done = await tickets.ResolveAsync(done.Id, done.Version, "已修复。");
        var type = await FirstInteractionTypeAsync(harness);
        await harness.Get<InteractionService>(rep).LogAsync(new InteractionInput(mergedId, type, new DateTime(2026, 9, 29, 9, 30, 0), "电话跟进工单", null, null, [], [], [], TicketId: open.Id));

        var merge = harness.Get<CustomerMerge>(rep);
        var request = await merge.RequestAsync(new MergePlan(survivorId, mergedId, []));
        await harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version, approve: true, "同一家公司");
        await merge.ExecuteAsync(request.Id);

        await using var check = harness.NewSystemContext();
        Assert.Equal([survivorId, survivorId], await check.Tickets.Where(t => t.Id == open.Id || t.Id == done.Id).Select(t => t.CustomerId).ToListAsync());
        Assert.Equal(survivorId, (await check.Todos.SingleAsync(t => t.TicketId == done.Id)).CustomerId);
        Assert.Equal(survivorId, (await check.Interactions.SingleAsync(i => i.TicketId == open.Id)).CustomerId);
        var listed = await harness.Get<TicketQueries>(desk.Desk).ForCustomerAsync(survivorId);
        Assert.Equal(2, listed.TotalCount);
    }

    [Fact]
    public async Task An_interaction_links_a_ticket_of_its_customer_only_and_the_timeline_names_it()
    {
        var time = new FakeTimeProvider(TuesdayMorning);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, time: time);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        var ticket = await harness.Get<TicketService>(desk.Desk).CreateAsync(desk.Input());
        Guid otherCustomer;
        await using (var db = harness.NewSystemContext())
        {
            otherCustomer = await db.Customers.Where(c => c.Id != desk.CustomerId).Select(c => c.Id).FirstAsync();
        }
        var type = await FirstInteractionTypeAsync(harness);
        var interactions = harness.Get<InteractionService>(desk.Desk);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => interactions.LogAsync(
            new InteractionInput(otherCustomer, type, new DateTime(2026, 9, 29, 9, 30, 0), "别家的工单", null, null, [], [], [], TicketId: ticket.Id)));
        Assert.Equal("Validation.InteractionTicketOther", Assert.Single(refused.Errors).MessageKey);
        await interactions.LogAsync(new InteractionInput(desk.CustomerId, type, new DateTime(2026, 9, 29, 9, 30, 0), "回电确认", null, null, [], [], [], TicketId: ticket.Id));

        await using var check = harness.NewSystemContext();
        Assert.True(await check.Interactions.AnyAsync(i => i.TicketId == ticket.Id && i.CustomerId == desk.CustomerId));
        var customer = await check.Customers.SingleAsync(c => c.Id == desk.CustomerId);
        var entry = Assert.Single(await new InteractionTimelineSource().ReadAsync(check, customer, CancellationToken.None), e => e.Values.Count > 1 && e.Values[1] == "回电确认");
        Assert.Equal(ticket.Number, entry.Values[3]);
    }

    private static async Task<string> FirstInteractionTypeAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        return await db.DictionaryItems.Where(d => d.Kind == CrmBlazor.Domain.Dictionaries.DictionaryKind.InteractionType && d.IsActive).OrderBy(d => d.Order).Select(d => d.Code).FirstAsync();
    }
}
