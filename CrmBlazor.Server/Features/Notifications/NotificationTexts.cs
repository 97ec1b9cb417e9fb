using System.Globalization;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Feedback;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Approvals;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Notifications;

/// <summary>A notification's sentence in the reader's language, from its kind and stored facts.</summary>
public static class NotificationTexts
{
    public static string Describe(IStringLocalizer l, NotificationView item, DisplayTime times) => (item.Kind, item.Values.Count) switch
    {
        (NotificationKinds.TodoAssigned, 3) => l["Bell.TodoAssigned", item.Values[0], item.Values[1], item.Values[2]],
        (ReminderJob.TodoDueSoon, 3) => l["Bell.TodoDueSoon", item.Values[0], item.Values[1], LocalTime(item.Values[2], times)],
        (ReminderJob.TodoDue, 3) => l["Bell.TodoDue", item.Values[0], item.Values[1]],
        (ReminderJob.NotContacted, 2) => l["Bell.NotContacted", item.Values[0], item.Values[1]],
        (ReminderJob.TurnedSilent, 2) => l["Bell.TurnedSilent", item.Values[0], item.Values[1]],
        (ReminderJob.VerifyData, 1) => l["Bell.VerifyData", item.Values[0]],
        (NotificationKinds.DemandAssigned, 3) => l["Bell.DemandAssigned", item.Values[0], item.Values[1], item.Values[2]],
        (NotificationKinds.TaskAssigned, 3) => l["Bell.TaskAssigned", item.Values[0], item.Values[1], item.Values[2]],
        (NotificationKinds.TicketAssigned, 3) => l["Bell.TicketAssigned", item.Values[0], item.Values[1], item.Values[2]],
        (NotificationKinds.TicketQueued, 4) => l["Bell.TicketQueued", item.Values[0], item.Values[1], item.Values[2]],
        (NotificationKinds.OpportunityAssigned, 3) => l["Bell.OpportunityAssigned", item.Values[0], item.Values[1], item.Values[2]],
        (NotificationKinds.LeadAssigned, 3) => l["Bell.LeadAssigned", item.Values[0], item.Values[1], item.Values[2]],
        (CrmBlazor.Domain.Webhooks.WebhookSender.EndpointDisabledKind, 3) => l["Bell.WebhookDisabled", item.Values[0], item.Values[1], item.Values[2]],
        // Approvals name the request's kind, then its facts (the decisions: the comment between); stored before 2026-12-06, a sentence.
        (NotificationKinds.ApprovalRequested, >= 2) when ApprovalKinds.IsKind(item.Values[1]) => l["Bell.ApprovalRequested", item.Values[0], Approval(l, item.Values[1], item.Values.Skip(2))],
        (NotificationKinds.ApprovalApproved, >= 3) when ApprovalKinds.IsKind(item.Values[1]) => l["Bell.ApprovalApproved", item.Values[0], Approval(l, item.Values[1], item.Values.Skip(3))],
        (NotificationKinds.ApprovalRejected, >= 3) when ApprovalKinds.IsKind(item.Values[1]) => l["Bell.ApprovalRejected", item.Values[0], Approval(l, item.Values[1], item.Values.Skip(3)), item.Values[2]],
        (NotificationKinds.ApprovalRequested, 2) => l["Bell.ApprovalRequested", item.Values[0], item.Values[1]],
        (NotificationKinds.ApprovalApproved, 3) => l["Bell.ApprovalApproved", item.Values[0], item.Values[1]],
        (NotificationKinds.ApprovalRejected, 3) => l["Bell.ApprovalRejected", item.Values[0], item.Values[1], item.Values[2]],
        (NotificationKinds.ImportFinished, 4) => l["Bell.ImportFinished", item.Values[0], item.Values[1], item.Values[2], item.Values[3]],
        (NotificationKinds.TicketLowSatisfaction, 4) when item.Values[3].Length > 0 => l["Bell.TicketLowSatisfactionComment", item.Values[0], item.Values[1], item.Values[2], item.Values[3]],
        (NotificationKinds.TicketLowSatisfaction, 4) => l["Bell.TicketLowSatisfaction", item.Values[0], item.Values[1], item.Values[2]],
        (FeedbackService.AnsweredKind, 3) when item.Values[2].Length > 0 => l["Bell.FeedbackReplied", l[$"Feedback.Status.{item.Values[0]}"], item.Values[1], item.Values[2]],
        (FeedbackService.AnsweredKind, 3) => l["Bell.FeedbackAnswered", l[$"Feedback.Status.{item.Values[0]}"], item.Values[1]],
        (NotificationKinds.SlaBreached, 3) => l["Bell.SlaBreached", item.Values[0], item.Values[1], LocalTime(item.Values[2], times)],
        (NotificationKinds.TicketResponseWarning, 3) => l["Bell.TicketResponseWarning", item.Values[0], item.Values[1], LocalTime(item.Values[2], times)],
        (NotificationKinds.TicketResponseBreached, 3) => l["Bell.TicketResponseBreached", item.Values[0], item.Values[1], LocalTime(item.Values[2], times)],
        (NotificationKinds.TicketResolutionWarning, 3) => l["Bell.TicketResolutionWarning", item.Values[0], item.Values[1], LocalTime(item.Values[2], times)],
        (NotificationKinds.TicketResolutionBreached, 3) => l["Bell.TicketResolutionBreached", item.Values[0], item.Values[1], LocalTime(item.Values[2], times)],
        _ => item.Kind,
    };

    private static string Approval(IStringLocalizer l, string kind, IEnumerable<string> facts) => ApprovalTexts.Describe(l, new ApprovalSummary(kind, [.. facts]));

    private static string LocalTime(string isoUtc, DisplayTime times) =>
        times.DateTime(DateTime.Parse(isoUtc, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime());
}
