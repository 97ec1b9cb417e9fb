using CrmBlazor.Domain.Tickets;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmBlazor.Server.Features.Tickets;

/// <summary>Ticket states, severities, channels and history lines in the reader's language, with their colours.</summary>
public static class TicketTexts
{
    public static string Status(IStringLocalizer l, TicketStatus status) => l[$"Ticket.Status.{status}"];

    public static string Severity(IStringLocalizer l, TicketSeverity severity) => l[$"Ticket.Severity.{severity}"];

    public static string Channel(IStringLocalizer l, TicketChannel channel) => l[$"Ticket.Channel.{channel}"];

    public static Color SeverityColor(TicketSeverity severity) => severity switch
    {
        TicketSeverity.Critical => Color.Error,
        TicketSeverity.High => Color.Warning,
        TicketSeverity.Medium => Color.Info,
        _ => Color.Default,
    };

    public static Color StatusColor(TicketStatus status) => status switch
    {
        TicketStatus.New => Color.Secondary,
        TicketStatus.Assigned => Color.Info,
        TicketStatus.InProgress => Color.Primary,
        TicketStatus.WaitingForCustomer => Color.Warning,
        TicketStatus.Resolved => Color.Success,
        _ => Color.Default,
    };

    /// <summary>The label of a history row's field.</summary>
    public static string Field(IStringLocalizer l, string field) => l[$"Ticket.Field.{field}"] is { ResourceNotFound: false } text ? text.Value : field;

    /// <summary>A history value: statuses by name, the first-response marker as words, the rest (numbers, people) as stored.</summary>
    public static string? Value(IStringLocalizer l, string field, string? value) => (field, value) switch
    {
        (_, null) => null,
        (TicketFields.Status, _) when Enum.TryParse<TicketStatus>(value, out var status) => Status(l, status),
        (TicketFields.FirstResponse, "reply") => l["Ticket.History.Reply"],
        _ => value,
    };
}
