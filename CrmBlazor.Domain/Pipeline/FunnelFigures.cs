namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// One stage of a funnel row. <see cref="Reached"/>: opportunities of the range that got this far by their stage history
/// (a skipped stage counts as passed, won passes every open stage, lost adds nothing); <see cref="Count"/>,
/// <see cref="AmountFen"/>: those of the range standing in this stage now; <see cref="SpanDays"/> over <see cref="Spans"/>:
/// days spent in the stage by those that left it.
/// </summary>
public sealed record FunnelStage(OpportunityStage Stage, int Reached, int Count, long AmountFen, int Percent, double SpanDays, int Spans)
{
    public long WeightedFen => StageProbabilities.Weighted(AmountFen, Percent);

    /// <summary>Average days in the stage before moving on; null when none has left it yet.</summary>
    public double? AverageDays => Spans == 0 ? null : SpanDays / Spans;
}

/// <summary>
/// A funnel for the whole scope, one rep or one team. Conversion from an open stage to the next is the share of the
/// opportunities that reached it that also reached the next (delivery's next is won). Win rate: won among those won or
/// lost with the close inside the range (whenever they were created).
/// </summary>
public sealed record FunnelRow(Guid? Id, string Name, IReadOnlyList<FunnelStage> Stages, int ClosedWon, int ClosedLost, double DaysToWinSum,
    double LeadToWonDaysSum = 0, int WonFromLeads = 0)
{
    public FunnelStage this[OpportunityStage stage] => Stages.Single(s => s.Stage == stage);

    /// <summary>Opportunities created in the range (the row's cohort).</summary>
    public int Opportunities => Stages.Sum(s => s.Count);

    public long AmountFen => Stages.Sum(s => s.AmountFen);

    /// <summary>The open pipeline weighted by stage probability (won counts in full, lost not at all).</summary>
    public long WeightedFen => Stages.Sum(s => s.WeightedFen);

    /// <summary>Share of those reaching <paramref name="stage"/> (an open stage) that reached the next; null when none reached it.</summary>
    public decimal? ConversionToNext(OpportunityStage stage)
    {
        var at = StageProbabilities.Open.ToList().IndexOf(stage);
        if (at < 0)
        {
            return null;
        }
        var next = at + 1 < StageProbabilities.Open.Count ? StageProbabilities.Open[at + 1] : OpportunityStage.Won;
        var reached = this[stage].Reached;
        return reached == 0 ? null : (decimal)this[next].Reached / reached;
    }

    /// <summary>Won among those closed in the range; null when none closed.</summary>
    public decimal? WinRate => ClosedWon + ClosedLost == 0 ? null : (decimal)ClosedWon / (ClosedWon + ClosedLost);

    /// <summary>Average days from the opportunity's creation to won, for the range's opportunities won so far.</summary>
    public double? AverageDaysToWin => this[OpportunityStage.Won].Count == 0 ? null : DaysToWinSum / this[OpportunityStage.Won].Count;

    /// <summary>
    /// Average days from the lead to won, for the range's won opportunities that a lead was converted into
    /// (<see cref="WonFromLeads"/> of them); null when none came from a lead.
    /// </summary>
    public double? AverageDaysLeadToWon => WonFromLeads == 0 ? null : LeadToWonDaysSum / WonFromLeads;
}

/// <summary>The funnel of the opportunities created in [<see cref="Since"/>, <see cref="Until"/>), within the reader's scope.</summary>
public sealed record FunnelView(DateTime Since, DateTime Until, FunnelRow Total, IReadOnlyList<FunnelRow> Reps, IReadOnlyList<FunnelRow> Teams);
