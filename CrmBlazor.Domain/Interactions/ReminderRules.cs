namespace CrmBlazor.Domain.Interactions;

/// <summary>The reminder rules Admin sets (SPEC C2, C3); one row, created with these defaults.</summary>
public sealed class ReminderRules
{
    public int Id { get; set; } = 1;

    /// <summary>Remind a to-do's owner this many hours before it is due (and again at due).</summary>
    public int TodoLeadHours { get; set; } = 24;

    /// <summary>A customer not contacted for this many days: its owner is reminded (SPEC C3); the status stays.</summary>
    public int NotContactedDays { get; set; } = 3;

    /// <summary>While the customer is still not contacted, the reminder comes again every this many days.</summary>
    public int RepeatEveryDays { get; set; } = 7;

    /// <summary>A customer not contacted for this many days turns silent and its owner is told (SPEC B3).</summary>
    public int SilentAfterDays { get; set; } = 90;

    /// <summary>On the first of each month, remind owners to verify their customers' data.</summary>
    public bool MonthlyVerification { get; set; } = true;
}
