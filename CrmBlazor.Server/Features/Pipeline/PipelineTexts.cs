using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Components.Shared;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Pipeline;

/// <summary>Stage names and amounts in fen, as the pipeline pages show them.</summary>
public static class PipelineTexts
{
    public static string Stage(IStringLocalizer l, OpportunityStage stage) => l[$"Pipeline.Stage.{stage}"];

    /// <summary>Won or lost: where a deal ends, not a stage it spends time in.</summary>
    public static bool IsEnd(OpportunityStage stage) => stage is OpportunityStage.Won or OpportunityStage.Lost;

    public static string Amount(long fen) => Money.Format(fen / 100m);

    public static string AmountWhole(long fen) => Money.FormatWhole(fen / 100m);

    /// <summary>Whole yuan without the ".00" (a board card is narrow), fen when there are any.</summary>
    public static string AmountOnCard(long fen) => fen % 100 == 0 ? AmountWhole(fen) : Amount(fen);

    /// <summary>Yuan typed into a field, as whole fen.</summary>
    public static long? ToFen(decimal? yuan) => yuan is { } value ? (long)Math.Round(value * 100m, MidpointRounding.AwayFromZero) : null;
}

/// <summary>What the pipeline board's filter bar holds; amounts in yuan as typed.</summary>
public sealed class PipelineBoardFilter
{
    public Guid? OwnerId { get; set; }
    public decimal? MinAmount { get; set; }
    public decimal? MaxAmount { get; set; }
    public DateTime? CloseBy { get; set; }
    public Guid? TeamId { get; set; }
    public IReadOnlyList<string> Tiers { get; set; } = [];

    public PipelineFilter ToQuery() => new()
    {
        OwnerId = OwnerId,
        MinAmountFen = PipelineTexts.ToFen(MinAmount),
        MaxAmountFen = PipelineTexts.ToFen(MaxAmount),
        CloseBy = CloseBy is { } day ? DateOnly.FromDateTime(day) : null,
        TeamId = TeamId,
        Tiers = Tiers,
    };
}
