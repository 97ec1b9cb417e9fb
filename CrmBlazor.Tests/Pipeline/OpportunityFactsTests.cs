using CrmBlazor.Domain.Pipeline;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>What an opportunity keeps of its moves for the funnel (Opportunity.Enter): days per stage, furthest stage, lead to won.</summary>
public sealed class OpportunityFactsTests
{
    private static readonly DateTime Created = new(2030, 3, 4, 2, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_deal_moved_back_and_forth_adds_up_its_stays_per_stage_and_keeps_the_furthest_stage_it_reached()
    {
        var deal = New();

        deal.Enter(OpportunityStage.Proposal, Created.AddDays(2));
        deal.Enter(OpportunityStage.NeedsAnalysis, Created.AddDays(3.5));
        deal.Enter(OpportunityStage.Proposal, Created.AddDays(4));
        deal.Enter(OpportunityStage.Lost, Created.AddDays(7));

        Assert.Equal((2.0, 0.5, 4.5), (deal.InitialContactDays, deal.NeedsAnalysisDays, deal.ProposalDays));
        Assert.Null(deal.NegotiationDays);
        Assert.Equal((OpportunityStage.Lost, OpportunityStage.Proposal, Created.AddDays(7)), (deal.Stage, deal.FurthestStage, deal.ClosedAt));
        Assert.Null(deal.DaysFromLeadToWon);
    }

    [Fact]
    public void A_won_deal_from_a_lead_counts_the_days_from_the_leads_creation_and_won_is_the_furthest_stage()
    {
        var deal = New();
        deal.LeadCreatedAt = Created.AddDays(-10);

        deal.Enter(OpportunityStage.Contract, Created.AddDays(1));
        deal.Enter(OpportunityStage.Won, Created.AddDays(6));

        Assert.Equal((OpportunityStage.Won, 16.0), (deal.FurthestStage, deal.DaysFromLeadToWon));
        Assert.Equal((1.0, 5.0), (deal.InitialContactDays, deal.ContractDays));
        Assert.Equal((null, null, null, null), (deal.NeedsAnalysisDays, deal.ProposalDays, deal.NegotiationDays, deal.DeliveryDays));
    }

    private static Opportunity New() => new()
    {
        Number = "OP20300001", Name = "测试", AmountFen = 100_000, Stage = OpportunityStage.InitialContact, FurthestStage = OpportunityStage.InitialContact, StageEnteredAt = Created,
    };
}
