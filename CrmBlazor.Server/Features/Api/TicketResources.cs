using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Tickets;

namespace CrmBlazor.Server.Features.Api;

/// <summary>A row of the ticket list, from the list page's <see cref="TicketListItem"/>: its deadlines as UTC instants.</summary>
public sealed record TicketListItemResource(
    Guid Id, string Number, string Title, Guid CustomerId, string CustomerName, string Category, string Severity, string Status,
    Guid? GroupId, string? GroupName, Guid? AssigneeId, string? AssigneeName, string QueueReason, DateTime CreatedAt,
    DateTime ResponseDueAt, DateTime? FirstResponseAt, DateTime ResolutionDueAt, DateTime? ResolvedAt, bool IsPaused, int Version)
{
    public static TicketListItemResource From(TicketListItem t) => new(
        t.Id, t.Number, t.Title, t.CustomerId, t.CustomerName, t.Category, ApiEnums.Name(t.Severity), ApiEnums.Name(t.Status),
        t.GroupId, t.GroupName, t.AssigneeId, t.AssigneeName, ApiEnums.Name(t.QueueReason), ApiTime.Utc(t.CreatedAt),
        ApiTime.Utc(t.ResponseDueAt), ApiTime.Utc(t.FirstResponseAt), ApiTime.Utc(t.ResolutionDueAt), ApiTime.Utc(t.ResolvedAt), t.IsPaused, t.Version);
}

/// <summary>One page of tickets: <paramref name="Page"/> counts from 1; <paramref name="Total"/> is every match within scope.</summary>
public sealed record TicketListResource(IReadOnlyList<TicketListItemResource> Items, int Page, int PageSize, int Total);

/// <summary>
/// The ticket's two SLA clocks (SPEC G3): targets in minutes (working minutes on a <c>workingHours</c> policy), deadlines,
/// the share of each target used now (1 = due; null once met or stopped) and whether each was or is breached.
/// </summary>
public sealed record TicketSlaResource(
    string Mode, int ResponseTargetMinutes, int ResolutionTargetMinutes, DateTime ResponseDueAt, DateTime ResolutionDueAt,
    DateTime? FirstResponseAt, DateTime? ResolvedAt, bool IsPaused, int PausedMinutes, double? ResponseUsed, double? ResolutionUsed,
    bool ResponseBreached, bool ResolutionBreached);

public sealed record TicketCommentResource(Guid Id, DateTime At, string? ByName, bool IsInternal, string Body);

public sealed record TicketHistoryResource(DateTime At, string? ByName, string Field, string? From, string? To);

public sealed record TicketAttachmentResource(Guid Id, string FileName, string ContentType, long Size, string? UploadedByName, DateTime UploadedAt);

/// <summary>A ticket as the ticket page shows it, from the Domain's <see cref="TicketDetail"/>; the ETag is its version.</summary>
public sealed record TicketResource(
    Guid Id, string Number, string Title, string Description, Guid CustomerId, string CustomerName, Guid? ContactId, string? ContactName,
    string Category, string? ProductModule, string Severity, string Channel, string Status, Guid? GroupId, string? GroupName,
    Guid? AssigneeId, string? AssigneeName, string QueueReason, DateTime CreatedAt, TicketSlaResource Sla,
    Guid? ReopenedFromId, string? ReopenedFromNumber, int ReopenCount, int Version,
    IReadOnlyList<TicketCommentResource> Comments, IReadOnlyList<TicketHistoryResource> History, IReadOnlyList<TicketAttachmentResource> Attachments)
{
    public static TicketResource From(TicketDetail d)
    {
        var t = d.Summary;
        var sla = new TicketSlaResource(ApiEnums.Name(d.SlaMode), d.ResponseTargetMinutes, d.ResolutionTargetMinutes,
            ApiTime.Utc(t.ResponseDueAt), ApiTime.Utc(t.ResolutionDueAt), ApiTime.Utc(t.FirstResponseAt), ApiTime.Utc(t.ResolvedAt),
            t.IsPaused, d.PausedMinutes, d.Sla.ResponseFraction, d.Sla.ResolutionFraction, d.Sla.ResponseBreached, d.Sla.ResolutionBreached);
        return new(t.Id, t.Number, t.Title, d.Description, t.CustomerId, t.CustomerName, d.ContactId, d.ContactName,
            t.Category, d.ProductModule, ApiEnums.Name(t.Severity), ApiEnums.Name(d.Channel), ApiEnums.Name(t.Status), t.GroupId, t.GroupName,
            t.AssigneeId, t.AssigneeName, ApiEnums.Name(t.QueueReason), ApiTime.Utc(t.CreatedAt), sla,
            d.ReopenedFromId, d.ReopenedFromNumber, d.ReopenCount, t.Version,
            [.. d.Comments.Select(c => new TicketCommentResource(c.Id, ApiTime.Utc(c.At), c.ByName, c.IsInternal, c.Body))],
            [.. d.History.Select(h => new TicketHistoryResource(ApiTime.Utc(h.At), h.ByName, h.Field, h.From, h.To))],
            [.. d.Attachments.Select(a => new TicketAttachmentResource(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedByName, ApiTime.Utc(a.UploadedAt)))]);
    }
}

/// <summary>
/// A new ticket, as the new-ticket dialog has it: the customer (and one of its contacts), a TicketCategory code, what
/// happened; <c>severity</c> (critical, high, medium, low; medium if omitted) and <c>channel</c> (phone, email, visit,
/// online; phone if omitted). Routing to a support group, the assignee and the SLA deadlines follow as for the UI.
/// </summary>
public sealed record NewTicket(
    Guid? CustomerId, Guid? ContactId, string? Category, string? ProductModule, string? Title, string? Description, string? Severity, string? Channel)
{
    public TicketInput ToInput() => new(
        CustomerId ?? throw new ValidationFailedException([new ValidationError("customerId", "Validation.TicketCustomerRequired", "Choose the customer.")]),
        ContactId, Category, ProductModule, Title, Description,
        ApiEnums.Parse<TicketSeverity>(Severity, "severity") ?? TicketSeverity.Medium, ApiEnums.Parse<TicketChannel>(Channel, "channel") ?? TicketChannel.Phone);
}

/// <summary>Whom the ticket goes to: a supervisor or Admin gives it to any eligible member; others may only take an unassigned one themselves.</summary>
public sealed record TicketAssignment(Guid? AssigneeId);

/// <summary>The reply to the customer that goes with the resolution (optional).</summary>
public sealed record TicketResolution(string? Reply);

/// <summary>A reply to the customer (the first one is the first response) or, with <c>isInternal</c>, a note for colleagues.</summary>
public sealed record NewTicketComment(string? Body, bool IsInternal);
