using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Features.Pipeline;

namespace CrmBlazor.Server.Features.Api;

/// <summary>A row of the lead list, from the list page's <see cref="LeadRow"/>; <c>ownerId</c> null: it waits in a pool (<c>teamId</c>; null: the company's).</summary>
public sealed record LeadListItemResource(
    Guid Id, string Number, string Company, string ContactName, string? Mobile, string? Email, string? Source, string? Region, string Status,
    Guid? OwnerId, string? OwnerName, Guid? TeamId, string? TeamName, bool InPool, bool AwaitingApproval, string? PendingOwnerName, DateTime CreatedAt, int Version)
{
    public static LeadListItemResource From(LeadRow l) => new(
        l.Id, l.Number, l.Company, l.ContactName, l.Mobile, l.Email, l.Source, l.Region, ApiEnums.Name(l.Status),
        l.OwnerId, l.OwnerName, l.TeamId, l.TeamName, l.InPool, l.AwaitingApproval, l.PendingOwnerName, ApiTime.Utc(l.CreatedAt), l.Version);
}

public sealed record LeadListResource(IReadOnlyList<LeadListItemResource> Items, int Page, int PageSize, int Total);

/// <summary>
/// A lead in full, from the Domain's <see cref="LeadDetail"/>: once converted, the customer and opportunity it became (when
/// the caller may see that customer). <c>awaitingApproval</c>: a supervisor's assignment to <c>pendingOwnerName</c> waits for
/// an approval. The ETag is its version.
/// </summary>
public sealed record LeadResource(
    Guid Id, string Number, string Company, string ContactName, string? Mobile, string? Email, string? Source, string? Region, string? Notes,
    string Status, string? DisqualifyReason, Guid? OwnerId, string? OwnerName, Guid? TeamId, string? TeamName, bool InPool,
    bool AwaitingApproval, string? PendingOwnerName, Guid? CustomerId, string? CustomerNumber, string? CustomerName,
    Guid? OpportunityId, string? OpportunityNumber, DateTime? ConvertedAt, DateTime CreatedAt, int Version)
{
    public static LeadResource From(LeadDetail d)
    {
        var l = d.Lead;
        return new(l.Id, l.Number, l.Company, l.ContactName, l.Mobile, l.Email, l.Source, l.Region, d.Notes, ApiEnums.Name(l.Status), d.DisqualifyReason,
            l.OwnerId, l.OwnerName, l.TeamId, l.TeamName, l.InPool, l.AwaitingApproval, l.PendingOwnerName, d.CustomerId, d.CustomerNumber, d.CustomerName,
            d.OpportunityId, d.OpportunityNumber, ApiTime.Utc(d.ConvertedAt), ApiTime.Utc(l.CreatedAt), l.Version);
    }
}

/// <summary>
/// A new lead, as the lead form has it (the website's contact form): company and contact, a mobile or an e-mail, LeadSource
/// and Region codes. It is the caller's own lead, or with <c>toPool</c> it waits in <c>teamId</c>'s pool (none: the company's)
/// for a rep to claim.
/// </summary>
public sealed record NewLead(
    string? Company, string? ContactName, string? Mobile, string? Email, string? Source, string? Region, string? Notes, bool ToPool, Guid? TeamId)
{
    public LeadInput ToInput() => new()
    {
        Company = Company, ContactName = ContactName, Mobile = Mobile, Email = Email, Source = Source, Region = Region, Notes = Notes,
        ToPool = ToPool, TeamId = TeamId,
    };
}

/// <summary>Whom a supervisor or Admin gives the lead to; with approvals on, the lead then awaits the approval.</summary>
public sealed record LeadOwnerChange(Guid? OwnerId);

/// <summary>
/// Working the lead: <c>new</c>, <c>contacted</c>, <c>qualified</c> (back and forth), or <c>disqualified</c> with a
/// <c>reason</c>. Converting has its own call.
/// </summary>
public sealed record LeadStatusChange(string? Status, string? Reason)
{
    /// <summary>The service's field names as the body spells them.</summary>
    public static string JsonField(string field) => field switch
    {
        nameof(Lead.DisqualifyReason) => "reason",
        nameof(Lead.Status) => "status",
        _ => field,
    };
}

/// <summary>
/// Converting a qualified lead: onto <c>attachToCustomerId</c> (an existing customer the duplicate check found: see the lead
/// page), else into a new customer named <c>customerName</c> (the lead's company by default) with the lead's person as key
/// contact; and the opportunity it opens (<c>amount</c> in CNY).
/// </summary>
public sealed record LeadConversionRequest(Guid? AttachToCustomerId, string? CustomerName, string? OpportunityName, decimal? Amount, DateOnly? ExpectedCloseOn)
{
    public LeadConversion ToConversion() => new(AttachToCustomerId, CustomerName, OpportunityName, PipelineTexts.ToFen(Amount), ExpectedCloseOn);

    /// <summary>The opportunity's field names, as this body spells them.</summary>
    public static string JsonField(string field) => field switch
    {
        nameof(Opportunity.Name) => "opportunityName",
        nameof(Opportunity.AmountFen) => "amount",
        _ => field,
    };
}

/// <summary>
/// An existing customer the lead may already be (the convert dialog's duplicate check): <c>reasons</c> sameName, samePhone,
/// sameEmail; <c>mayAttach</c> false for a customer outside the caller's scope (ask its owner, <c>ownerName</c>).
/// </summary>
public sealed record LeadMatchResource(Guid CustomerId, string Number, string Name, string? OwnerName, IReadOnlyList<string> Reasons, bool MayAttach)
{
    public static LeadMatchResource From(LeadMatch m) =>
        new(m.CustomerId, m.Number, m.Name, m.OwnerName, [.. m.Reasons.Order().Select(ApiEnums.Name)], m.MayAttach);
}

/// <summary>What a conversion made or linked: the customer (<c>customerCreated</c> false: attached to an existing one), the opportunity, and the lead now.</summary>
public sealed record LeadConversionResource(
    Guid CustomerId, string CustomerNumber, bool CustomerCreated, Guid OpportunityId, string OpportunityNumber, LeadResource Lead);
