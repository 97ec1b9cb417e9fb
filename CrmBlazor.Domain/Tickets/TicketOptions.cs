namespace CrmBlazor.Domain.Tickets;

/// <summary><c>Tickets:*</c> settings.</summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";

    /// <summary>How many days after resolution a ticket may be reopened; later, reopening opens a new ticket linked to it.</summary>
    public int ReopenDays { get; set; } = 7;
}
