using CrmBlazor.Domain.Notifications;

namespace CrmBlazor.Server.Features.Notifications;

/// <summary>The page a notification opens: its subject's page (the Domain names the subject, the Server knows the routes).</summary>
public static class NotificationLinks
{
    public const string MyFeedback = "/feedback/mine";

    /// <summary>The page's URL, or null when the notification opens nothing (no subject, or a record kind without its id).</summary>
    public static string? For(NotificationSubject? subject) => subject switch
    {
        null => null,
        { Kind: NotificationSubjectKind.Customers } => "/customers",
        { Kind: NotificationSubjectKind.Leads } => "/leads",
        { Kind: NotificationSubjectKind.Approvals } => "/approvals",
        { Kind: NotificationSubjectKind.MyFeedback } => MyFeedback,
        { Id: null } => null,
        { Kind: NotificationSubjectKind.Customer, Id: var id } => $"/customers/{id}",
        { Kind: NotificationSubjectKind.Demand, Id: var id } => $"/demands/{id}",
        { Kind: NotificationSubjectKind.Ticket, Id: var id } => $"/tickets/{id}",
        { Kind: NotificationSubjectKind.Opportunity, Id: var id } => $"/pipeline/{id}",
        { Kind: NotificationSubjectKind.CustomerImport, Id: var id } => $"/customers/import?job={id}",
        { Kind: NotificationSubjectKind.ContactImport, Id: var id } => $"/customers/import/contacts?job={id}",
        { Kind: NotificationSubjectKind.LeadImport, Id: var id } => $"/leads/import?job={id}",
        _ => null,
    };
}
