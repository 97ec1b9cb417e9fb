namespace CrmBlazor.Domain.Tickets;

/// <summary><c>Tickets:*</c> settings.</summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";

    /// <summary>How many days after resolution a ticket may be reopened; later, reopening opens a new ticket linked to it.</summary>
    public int ReopenDays { get; set; } = 7;

    /// <summary>Working hours after the resolution by which the follow-up visit (回访) is due: one working day by default.</summary>
    public int FollowUpWorkingHours { get; set; } = 9;
}
