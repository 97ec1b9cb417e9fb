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

    public bool IsClosed => Stage is OpportunityStage.Won or OpportunityStage.Lost;
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
