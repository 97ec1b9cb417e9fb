using System.Text.Json;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Domain.Tickets;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CrmBlazor.Domain.Webhooks;

/// <summary>The event types an endpoint may subscribe to: <c>resource.what-happened</c>, as integrators expect them.</summary>
public static class WebhookEventTypes
{
    public const string CustomerCreated = "customer.created";
    public const string CustomerUpdated = "customer.updated";
    public const string CustomerStatusChanged = "customer.status_changed";
    public const string DemandCreated = "demand.created";
    public const string DemandChanged = "demand.changed";
    public const string TicketCreated = "ticket.created";
    public const string TicketChanged = "ticket.changed";
    public const string TicketResolved = "ticket.resolved";
    public const string LeadCreated = "lead.created";
    public const string LeadAssigned = "lead.assigned";
    public const string LeadChanged = "lead.changed";
    public const string OpportunityCreated = "opportunity.created";
    public const string OpportunityChanged = "opportunity.changed";
    public const string OpportunityWon = "opportunity.won";
    public const string OpportunityLost = "opportunity.lost";

    public static IReadOnlyList<string> All { get; } =
    [
        CustomerCreated, CustomerUpdated, CustomerStatusChanged, DemandCreated, DemandChanged, TicketCreated, TicketChanged,
        TicketResolved, LeadCreated, LeadAssigned, LeadChanged, OpportunityCreated, OpportunityChanged, OpportunityWon, OpportunityLost,
    ];
}

/// <summary>The body of every delivery (camelCase JSON): the Standard Webhooks envelope around one of the records below.</summary>
public sealed record WebhookMessage(Guid EventId, string Type, DateTime Timestamp, object Data)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Serialize() => JsonSerializer.Serialize(this, Json);
}

public sealed record CustomerEventData(Guid CustomerId, string? Number, string? Name, string? Status, Guid? OwnerId, int Version);

public sealed record DemandEventData(Guid DemandId, Guid CustomerId, string? Number, string? Status, int Version);

public sealed record TicketEventData(Guid TicketId, Guid CustomerId, string? Number, string Status, int Version);

public sealed record LeadEventData(Guid LeadId, string? Number, string Status, Guid? OwnerId, int Version);

public sealed record OpportunityEventData(Guid OpportunityId, Guid CustomerId, string? Number, string Stage, int Version);

/// <summary>
/// Which webhook event a live event is, read with the change tracker of the save that recorded it (so "created" and
/// "status changed" are told apart from "updated"). Live events nobody outside cares about (bells, tiers, imports) map to none.
/// </summary>
public static class WebhookEvents
{
    public static (string Type, object Data)? From(LiveEvent liveEvent, ChangeTracker changes) => liveEvent switch
    {
        CustomerChanged c => Customer(c, changes.Entries<Customer>().FirstOrDefault(e => e.Entity.Id == c.CustomerId)),
        Live.DemandChanged d => Demand(d, changes.Entries<Demand>().FirstOrDefault(e => e.Entity.Id == d.DemandId)),
        Live.TicketChanged t => Ticket(t, changes.Entries<Ticket>().FirstOrDefault(e => e.Entity.Id == t.TicketId)),
        Pipeline.LeadChanged l => Lead(l, changes.Entries<Lead>().FirstOrDefault(e => e.Entity.Id == l.LeadId)),
        Pipeline.OpportunityChanged o => Opportunity(o, changes.Entries<Opportunity>().FirstOrDefault(e => e.Entity.Id == o.OpportunityId)),
        _ => null,
    };

    private static (string, object) Customer(CustomerChanged c, EntityEntry<Customer>? entry)
    {
        var type = entry?.State switch
        {
            Microsoft.EntityFrameworkCore.EntityState.Added => WebhookEventTypes.CustomerCreated,
            _ when entry is not null && entry.Property(x => x.Status).IsModified => WebhookEventTypes.CustomerStatusChanged,
            _ => WebhookEventTypes.CustomerUpdated,
        };
        var customer = entry?.Entity;
        return (type, new CustomerEventData(c.CustomerId, customer?.Number, customer?.Name, customer?.Status, customer?.OwnerId, c.Version));
    }

    private static (string, object) Demand(Live.DemandChanged d, EntityEntry<Demand>? entry) =>
        (entry?.State == Microsoft.EntityFrameworkCore.EntityState.Added ? WebhookEventTypes.DemandCreated : WebhookEventTypes.DemandChanged,
            new DemandEventData(d.DemandId, d.CustomerId, entry?.Entity.Number, entry?.Entity.Status.ToString(), d.Version));

    private static (string, object) Ticket(Live.TicketChanged t, EntityEntry<Ticket>? entry)
    {
        var type = entry?.State switch
        {
            Microsoft.EntityFrameworkCore.EntityState.Added => WebhookEventTypes.TicketCreated,
            _ when entry is not null && entry.Property(x => x.Status).IsModified && entry.Entity.Status == TicketStatus.Resolved => WebhookEventTypes.TicketResolved,
            _ => WebhookEventTypes.TicketChanged,
        };
        return (type, new TicketEventData(t.TicketId, t.CustomerId, entry?.Entity.Number, t.Status, t.Version));
    }

    private static (string, object) Lead(Pipeline.LeadChanged l, EntityEntry<Lead>? entry)
    {
        var type = entry?.State switch
        {
            Microsoft.EntityFrameworkCore.EntityState.Added => WebhookEventTypes.LeadCreated,
            _ when entry is not null && entry.Property(x => x.OwnerId).IsModified && l.OwnerId is not null => WebhookEventTypes.LeadAssigned,
            _ => WebhookEventTypes.LeadChanged,
        };
        return (type, new LeadEventData(l.LeadId, entry?.Entity.Number, l.Status, l.OwnerId, l.Version));
    }

    private static (string, object) Opportunity(Pipeline.OpportunityChanged o, EntityEntry<Opportunity>? entry)
    {
        var stageMoved = entry is not null && entry.Property(x => x.Stage).IsModified;
        var type = entry?.State switch
        {
            Microsoft.EntityFrameworkCore.EntityState.Added => WebhookEventTypes.OpportunityCreated,
            _ when stageMoved && entry!.Entity.Stage == OpportunityStage.Won => WebhookEventTypes.OpportunityWon,
            _ when stageMoved && entry!.Entity.Stage == OpportunityStage.Lost => WebhookEventTypes.OpportunityLost,
            _ => WebhookEventTypes.OpportunityChanged,
        };
        return (type, new OpportunityEventData(o.OpportunityId, o.CustomerId, entry?.Entity.Number, o.Stage, o.Version));
    }
}
