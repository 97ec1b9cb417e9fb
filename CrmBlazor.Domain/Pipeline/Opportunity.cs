using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>The stages of a deal (SPEC F2): the pipeline board's columns, in order; Won and Lost end it.</summary>
public enum OpportunityStage
{
    InitialContact,
    NeedsAnalysis,
    Proposal,
    Negotiation,
    Contract,
    Delivery,
    Won,
    Lost,
}

/// <summary>
/// A sales opportunity (商机, SPEC F2): a deal with a customer, numbered OP{yyyy}{nnnn}, worth <see cref="AmountFen"/>,
/// moved through the stages. A move past negotiation above <c>Pipeline:ApprovalAmount</c> waits for an approval
/// (<see cref="PendingApprovalId"/>, <see cref="PendingStage"/>); a rejection leaves the stage and keeps its reason.
/// </summary>
public sealed class Opportunity : AuditableEntity
{
    public required string Number { get; set; }
    public Guid CustomerId { get; set; }

    /// <summary>
    /// The customer's owner, copied here so that a rep's board and funnel seek their deals by one index range instead of
    /// by each of their customers (record scope is the customer's, SPEC A3). Nobody sets it: <see cref="CustomerOwnerFollower"/>
    /// keeps it on every save that adds a deal, moves one to another customer or gives a customer to someone else.
    /// </summary>
    public Guid? CustomerOwnerId { get; set; }

    public required string Name { get; set; }

    /// <summary>In fen (1/100 yuan), so sums agree on every provider.</summary>
    public long AmountFen { get; set; }

    public DateOnly ExpectedCloseOn { get; set; }
    public Guid OwnerId { get; set; }
    public OpportunityStage Stage { get; set; }

    /// <summary>When the current stage was entered: the board's "days in stage".</summary>
    public DateTime StageEnteredAt { get; set; }

    /// <summary>Code of the LostReason dictionary, once lost.</summary>
    public string? LostReason { get; set; }

    /// <summary>When it was won or lost.</summary>
    public DateTime? ClosedAt { get; set; }

    /// <summary>The approval request a move waits for, while it waits.</summary>
    public Guid? PendingApprovalId { get; set; }

    /// <summary>Where the waiting move goes.</summary>
    public OpportunityStage? PendingStage { get; set; }

    /// <summary>Why the last move that waited for approval was rejected (cleared by the next move).</summary>
    public string? RejectionReason { get; set; }

    public List<OpportunityStageChange> StageChanges { get; set; } = [];

    // What the funnel (SPEC F4) sums, kept up by Enter as the deal moves so that a year's funnel reads one row per
    // opportunity rather than its whole stage history (issue 15's performance section).

    /// <summary>The furthest stage its history reached: an open stage or Won, never Lost (a lost deal keeps the stage it got to).</summary>
    public OpportunityStage FurthestStage { get; set; }

    /// <summary>
    /// Days spent in each open stage it has left, all its stays in that stage together (a deal moved back and forth adds up);
    /// null for a stage it never left. The stay in the current stage counts once it ends.
    /// </summary>
    public double? InitialContactDays { get; set; }
    public double? NeedsAnalysisDays { get; set; }
    public double? ProposalDays { get; set; }
    public double? NegotiationDays { get; set; }
    public double? ContractDays { get; set; }
    public double? DeliveryDays { get; set; }

    /// <summary>When the lead it was converted from was created; null when it did not come from a lead.</summary>
    public DateTime? LeadCreatedAt { get; set; }

    /// <summary>Days from that lead's creation to the win; null unless won and from a lead.</summary>
    public double? DaysFromLeadToWon { get; set; }

    public bool IsClosed => Stage is OpportunityStage.Won or OpportunityStage.Lost;

    /// <summary>How far along <paramref name="stage"/> is: the open stages 0–5 in board order, Won 6, Lost −1 (no step forward).</summary>
    public static int Rank(OpportunityStage stage) => stage == OpportunityStage.Lost ? -1 : (int)stage;

    /// <summary>
    /// Moves to <paramref name="to"/> at <paramref name="now"/>: the stay in the stage it leaves is added to that stage's days,
    /// the furthest stage moves on, a win or loss closes it (a win from a lead also gives the days from the lead).
    /// </summary>
    internal void Enter(OpportunityStage to, DateTime now)
    {
        var stayed = (now - StageEnteredAt).TotalDays;
        switch (Stage)
        {
            case OpportunityStage.InitialContact: InitialContactDays = (InitialContactDays ?? 0) + stayed; break;
            case OpportunityStage.NeedsAnalysis: NeedsAnalysisDays = (NeedsAnalysisDays ?? 0) + stayed; break;
            case OpportunityStage.Proposal: ProposalDays = (ProposalDays ?? 0) + stayed; break;
            case OpportunityStage.Negotiation: NegotiationDays = (NegotiationDays ?? 0) + stayed; break;
            case OpportunityStage.Contract: ContractDays = (ContractDays ?? 0) + stayed; break;
            case OpportunityStage.Delivery: DeliveryDays = (DeliveryDays ?? 0) + stayed; break;
        }
        if (Rank(to) > Rank(FurthestStage))
        {
            FurthestStage = to;
        }
        Stage = to;
        StageEnteredAt = now;
        ClosedAt = to is OpportunityStage.Won or OpportunityStage.Lost ? now : null;
        DaysFromLeadToWon = to == OpportunityStage.Won && LeadCreatedAt is { } leadAt ? (now - leadAt).TotalDays : null;
        if (to != OpportunityStage.Lost)
        {
            LostReason = null;
        }
    }
}

/// <summary>One move of an opportunity: from, to, when, by whom; consecutive rows give the time spent in each stage.</summary>
public sealed class OpportunityStageChange : Entity
{
    public Guid OpportunityId { get; set; }

    /// <summary>Null for the creation.</summary>
    public OpportunityStage? FromStage { get; set; }

    public OpportunityStage ToStage { get; set; }
    public DateTime At { get; set; }
    public Guid? ById { get; set; }
    public string? ByName { get; set; }
}

/// <summary>An Admin's win probability for one stage (SPEC F2); a stage without a row uses <see cref="StageProbabilities.Default"/>.</summary>
public sealed class StageProbability : AuditableEntity
{
    public OpportunityStage Stage { get; set; }

    /// <summary>0–100.</summary>
    public int Percent { get; set; }
}

/// <summary>The default win probability per stage, and the weighted amount.</summary>
public static class StageProbabilities
{
    public static int Default(OpportunityStage stage) => stage switch
    {
        OpportunityStage.InitialContact => 10,
        OpportunityStage.NeedsAnalysis => 20,
        OpportunityStage.Proposal => 40,
        OpportunityStage.Negotiation => 60,
        OpportunityStage.Contract => 80,
        OpportunityStage.Delivery => 90,
        OpportunityStage.Won => 100,
        _ => 0,
    };

    /// <summary>The amount times the probability, in whole fen (rounded half away from zero).</summary>
    public static long Weighted(long amountFen, int percent) => (long)Math.Round(amountFen * (decimal)percent / 100m, MidpointRounding.AwayFromZero);

    /// <summary>The stages an opportunity moves through while open, board columns in order.</summary>
    public static IReadOnlyList<OpportunityStage> Open { get; } =
        [OpportunityStage.InitialContact, OpportunityStage.NeedsAnalysis, OpportunityStage.Proposal, OpportunityStage.Negotiation, OpportunityStage.Contract, OpportunityStage.Delivery];

    /// <summary>Past negotiation: where a large deal needs an approval to go (SPEC A4).</summary>
    public static bool IsPastNegotiation(OpportunityStage stage) => stage is OpportunityStage.Contract or OpportunityStage.Delivery or OpportunityStage.Won;
}

/// <summary><c>Pipeline:*</c> settings.</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>In yuan: moving an opportunity above this amount past negotiation waits for an approval (SPEC A4).</summary>
    public long ApprovalAmount { get; set; } = 500_000;

    public long ApprovalAmountFen => ApprovalAmount * 100;

    /// <summary>A supervisor's assignment of a lead to a rep waits for an approval (SPEC A4); off by default.</summary>
    public bool LeadAssignmentNeedsApproval { get; set; }
}
