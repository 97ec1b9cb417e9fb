using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.DataQuality;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>
/// Issue 15 "Around it": opportunities on the customer's 360 timeline and tab, My work's opportunities closing this month
/// (in the company's time zone), the opportunity page's detail, and a merge (SPEC H4) taking the merged customer's opportunities along.
/// </summary>
public sealed class OpportunityAroundTests
{
    /// <summary>Monday 31 March 2031, 17:00 UTC: already Tuesday 1 April in Shanghai, the company's zone.</summary>
    private static readonly DateTimeOffset AprilInShanghai = new(2031, 3, 31, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task My_work_lists_my_open_opportunities_closing_in_this_company_month_only()
    {
        var time = new FakeTimeProvider(AprilInShanghai);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6, time: time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var lastDayOfMarch = await CreateAsync(harness, rep, "三月底的商机", new DateOnly(2031, 3, 31));
        var firstOfApril = await CreateAsync(harness, rep, "四月初的商机", new DateOnly(2031, 4, 1));
        var endOfApril = await CreateAsync(harness, rep, "四月底的商机", new DateOnly(2031, 4, 30));
        await CreateAsync(harness, rep, "五月的商机", new DateOnly(2031, 5, 1));
        var won = await CreateAsync(harness, rep, "已赢单的商机", new DateOnly(2031, 4, 15));
        await harness.Get<OpportunityService>(rep).WinAsync(won.Id, won.Version);
        await CreateAsync(harness, other, "同事的商机", new DateOnly(2031, 4, 10));

        var mine = await harness.Get<OpportunityQueries>(rep).MyClosingThisMonthAsync();

        // In UTC it is still March: the month is the company's, not the server's.
        Assert.Equal([firstOfApril.Number, endOfApril.Number], mine.Select(o => o.Number));
        Assert.DoesNotContain(mine, o => o.Number == lastDayOfMarch.Number);

        // A month later the March and April ones are gone, May's is due.
        time.Advance(TimeSpan.FromDays(30));
        Assert.Equal(["五月的商机"], (await harness.Get<OpportunityQueries>(rep).MyClosingThisMonthAsync()).Select(o => o.Name));
    }

    [Fact]
    public async Task The_customers_tab_lists_its_opportunities_open_first_and_the_timeline_tells_opened_won_and_lost_with_the_reason()
    {
        var time = new FakeTimeProvider(AprilInShanghai);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6, time: time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var service = harness.Get<OpportunityService>(rep);
        var lost = await CreateAsync(harness, rep, "输掉的商机", new DateOnly(2031, 4, 2));
        time.Advance(TimeSpan.FromHours(1));
        var won = await CreateAsync(harness, rep, "赢下的商机", new DateOnly(2031, 4, 3));
        time.Advance(TimeSpan.FromHours(1));
        var open = await CreateAsync(harness, rep, "进行中的商机", new DateOnly(2031, 6, 30));
        time.Advance(TimeSpan.FromHours(1));
        await service.WinAsync(won.Id, won.Version);
        time.Advance(TimeSpan.FromMinutes(1));
        var reason = await LostReasonAsync(harness);
        await service.LoseAsync(lost.Id, lost.Version, reason);

        var tab = await harness.Get<OpportunityQueries>(rep).ForCustomerAsync(open.CustomerId);

        Assert.Equal([open.Number, lost.Number, won.Number], tab.Select(o => o.Number));
        Assert.Equal([OpportunityStage.InitialContact, OpportunityStage.Lost, OpportunityStage.Won], tab.Select(o => o.Stage));
        Assert.All(tab, o => Assert.Equal(rep.DisplayName, o.OwnerName));
        // Another rep may not read this customer's deals.
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<OpportunityQueries>(other).ForCustomerAsync(open.CustomerId));

        var timeline = (await harness.Get<CustomerQueries>(rep).GetProfileAsync(open.CustomerId)).Timeline
            .Where(e => e.Kind.StartsWith("opportunity-", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [
                (OpportunityTimelineSource.Lost, lost.Number, reason),
                (OpportunityTimelineSource.Won, won.Number, ""),
                (OpportunityTimelineSource.Created, open.Number, ""),
                (OpportunityTimelineSource.Created, won.Number, ""),
                (OpportunityTimelineSource.Created, lost.Number, ""),
            ],
            timeline.Select(e => (e.Kind, e.Values[0], e.Values.Count > 2 ? e.Values[2] : "")));
        Assert.All(timeline, e => Assert.Equal(rep.DisplayName, e.Actor));
        Assert.Equal(time.GetUtcNow().UtcDateTime, timeline[0].At);
    }

    [Fact]
    public async Task The_opportunity_page_reads_amount_weighted_amount_owner_and_the_time_spent_in_each_stage()
    {
        var time = new FakeTimeProvider(AprilInShanghai);
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 6, time: time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var other = await harness.DemoUserAsync("demo-salesrep2");
        var opportunity = await CreateAsync(harness, rep, "仓储系统改造", new DateOnly(2031, 5, 20), amountFen: 12_345_600);
        time.Advance(TimeSpan.FromDays(2));
        await harness.Get<OpportunityService>(rep).MoveAsync(opportunity.Id, opportunity.Version, OpportunityStage.Proposal);
        time.Advance(TimeSpan.FromHours(7));

        var detail = await harness.Get<OpportunityQueries>(rep).DetailAsync(opportunity.Id);

        Assert.Equal((12_345_600L, 40, 4_938_240L), (detail.Card.AmountFen, detail.Percent, detail.WeightedFen));
        Assert.Equal(rep.DisplayName, detail.Card.OwnerName);
        Assert.Equal([(OpportunityStage.InitialContact, TimeSpan.FromDays(2)), (OpportunityStage.Proposal, TimeSpan.FromHours(7))],
            detail.History.Select(s => (s.Stage, s.Duration)));
        await Assert.ThrowsAsync<NotFoundException>(() => harness.Get<OpportunityQueries>(other).DetailAsync(opportunity.Id));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Merging_two_customers_moves_the_merged_ones_opportunities_with_their_stage_history_to_the_survivor(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(AprilInShanghai);
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 12, time: time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        List<Guid> mine;
        await using (var db = harness.NewSystemContext())
        {
            mine = await db.Customers.Where(c => c.OwnerId == rep.UserId).OrderBy(c => c.Number).Take(2).Select(c => c.Id).ToListAsync();
        }
        var (survivorId, mergedId) = (mine[0], mine[1]);
        var service = harness.Get<OpportunityService>(rep);
        var kept = await service.CreateAsync(new OpportunityInput(survivorId, "留存客户的商机", 1_000_000, new DateOnly(2031, 6, 30), null));
        var moving = await service.CreateAsync(new OpportunityInput(mergedId, "被合并客户的商机", 2_000_000, new DateOnly(2031, 6, 30), null));
        await service.MoveAsync(moving.Id, moving.Version, OpportunityStage.Proposal);
        // A lead converted onto the merged customer: its link follows to the survivor.
        var leads = harness.Get<LeadService>(rep);
        var lead = await leads.CreateAsync(new LeadInput { Company = "线索带来的公司", ContactName = "王五", Mobile = "13700001111" });
        lead = await leads.SetStatusAsync(lead.Id, lead.Version, LeadStatus.Qualified);
        var converted = await leads.ConvertAsync(lead.Id, lead.Version, new LeadConversion(mergedId, null, "线索带来的商机", 100, new DateOnly(2031, 6, 30)));

        var merge = harness.Get<CustomerMerge>(rep);
        var request = await merge.RequestAsync(new MergePlan(survivorId, mergedId, []));
        await harness.Get<ApprovalService>(supervisor).DecideAsync(request.Id, request.Version, approve: true, "同一家公司");
        await merge.ExecuteAsync(request.Id);

        await using var check = harness.NewSystemContext();
        Assert.Equal([survivorId, survivorId], await check.Opportunities.Where(o => o.Id == kept.Id || o.Id == moving.Id).Select(o => o.CustomerId).ToListAsync());
        Assert.Equal(2, await check.OpportunityStageChanges.CountAsync(c => c.OpportunityId == moving.Id));
        var tab = await harness.Get<OpportunityQueries>(rep).ForCustomerAsync(survivorId);
        Assert.Equal(["留存客户的商机", "线索带来的商机", "被合并客户的商机"], tab.Select(o => o.Name).Order());
        var movedLead = await check.Leads.SingleAsync(l => l.Id == lead.Id);
        Assert.Equal((survivorId, converted.OpportunityId), (movedLead.ConvertedCustomerId!.Value, movedLead.ConvertedOpportunityId!.Value));
        var timeline = (await harness.Get<CustomerQueries>(rep).GetProfileAsync(survivorId)).Timeline;
        Assert.Contains(timeline, e => e.Kind == OpportunityTimelineSource.Created && e.Values[0] == moving.Number);
        Assert.True(await check.AuditEntries.AnyAsync(a => a.EntityId!.Contains("2 opportunities")));
    }

    private static async Task<Opportunity> CreateAsync(DomainHarness harness, TestUser owner, string name, DateOnly closeOn, long amountFen = 5_000_000)
    {
        Guid customerId;
        await using (var db = harness.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.OwnerId == owner.UserId).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        }
        return await harness.Get<OpportunityService>(owner).CreateAsync(new OpportunityInput(customerId, name, amountFen, closeOn, null));
    }

    private static async Task<string> LostReasonAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        return await db.DictionaryItems.Where(d => d.Kind == DictionaryKind.LostReason && d.IsActive).OrderBy(d => d.Code).Select(d => d.Code).FirstAsync();
    }
}
