namespace CrmBlazor.Domain.Notifications;

/// <summary>What a notification is about: a record (with its id) or a list. The Server turns it into the page it opens.</summary>
public enum NotificationSubjectKind
{
    Customer,
    Customers,
    Demand,
    Ticket,
    Opportunity,
    Leads,
    Approvals,
    MyFeedback,
    CustomerImport,
    ContactImport,
    LeadImport,
}

/// <summary>
/// What a notification is about, stored as "Kind" or "Kind:id" in <see cref="Notification.Subject"/>. The Domain names
/// the subject and builds no page URLs; the Server's <c>NotificationLinks</c> maps each kind to its page.
/// </summary>
public readonly record struct NotificationSubject(NotificationSubjectKind Kind, Guid? Id = null)
{
    public static NotificationSubject Customer(Guid id) => new(NotificationSubjectKind.Customer, id);
    public static NotificationSubject Demand(Guid id) => new(NotificationSubjectKind.Demand, id);
    public static NotificationSubject Ticket(Guid id) => new(NotificationSubjectKind.Ticket, id);
    public static NotificationSubject Opportunity(Guid id) => new(NotificationSubjectKind.Opportunity, id);
    public static NotificationSubject Customers => new(NotificationSubjectKind.Customers);
    public static NotificationSubject Leads => new(NotificationSubjectKind.Leads);
    public static NotificationSubject Approvals => new(NotificationSubjectKind.Approvals);
    public static NotificationSubject MyFeedback => new(NotificationSubjectKind.MyFeedback);

    public override string ToString() => Id is { } id ? $"{Kind}:{id}" : Kind.ToString();

    /// <summary>The stored text back as a subject; null for none or for a text this build does not know.</summary>
    public static NotificationSubject? Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return null;
        }
        var colon = stored.IndexOf(':', StringComparison.Ordinal);
        var kindText = colon < 0 ? stored : stored[..colon];
        if (!Enum.TryParse<NotificationSubjectKind>(kindText, ignoreCase: false, out var kind) || !Enum.IsDefined(kind)
            || kindText.Any(char.IsDigit))
        {
            return null;
        }
        if (colon < 0)
        {
            return new NotificationSubject(kind);
        }
        return Guid.TryParseExact(stored[(colon + 1)..], "D", out var id) ? new NotificationSubject(kind, id) : null;
    }
}
