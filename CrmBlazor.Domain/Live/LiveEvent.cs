using System.Text.Json.Serialization;

namespace CrmBlazor.Domain.Live;

/// <summary>
/// Something that happened, told live to whoever may see it. <see cref="Audience"/> lists the groups
/// (<see cref="Access.Audience"/>) it is for; the hub and the Blazor components deliver it only there.
/// New kinds add a <see cref="JsonDerivedTypeAttribute"/> line so they cross Redis intact.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CustomerChanged), "customer-changed")]
[JsonDerivedType(typeof(PermissionsChanged), "permissions-changed")]
[JsonDerivedType(typeof(NotificationsChanged), "notifications-changed")]
[JsonDerivedType(typeof(DemandChanged), "demand-changed")]
[JsonDerivedType(typeof(TicketChanged), "ticket-changed")]
[JsonDerivedType(typeof(TiersChanged), "tiers-changed")]
[JsonDerivedType(typeof(ImportProgressed), "import-progressed")]
[JsonDerivedType(typeof(UserAccessChanged), "user-access-changed")]
[JsonDerivedType(typeof(Customers.CustomersChanged), "customers-changed")]
[JsonDerivedType(typeof(Pipeline.OpportunityChanged), "opportunity-changed")]
[JsonDerivedType(typeof(Pipeline.LeadChanged), "lead-changed")]
public abstract record LiveEvent
{
    public Guid EventId { get; init; } = Guid.CreateVersion7();
    public DateTime OccurredAt { get; init; } = DateTime.UtcNow;
    public IReadOnlyList<string> Audience { get; init; } = [];
}

public sealed record CustomerChanged(Guid CustomerId, int Version, Guid? ChangedBy, string ChangedByName) : LiveEvent;

/// <summary>Admin changed the permission matrix: every instance reloads it.</summary>
public sealed record PermissionsChanged : LiveEvent;

/// <summary>A user's notifications changed (one arrived, or some were read): their tabs refresh the bell.</summary>
public sealed record NotificationsChanged(Guid UserId) : LiveEvent;

/// <summary>A demand or one of its tasks changed (created, moved, assigned, closed): boards and demand pages refresh.</summary>
public sealed record DemandChanged(Guid DemandId, Guid CustomerId, int Version, Guid? ChangedBy, string ChangedByName) : LiveEvent;

/// <summary>A ticket changed (created, assigned, moved, commented, reopened): ticket boards, lists and pages refresh.</summary>
public sealed record TicketChanged(Guid TicketId, Guid CustomerId, Guid? GroupId, string Status, int Version, Guid? ChangedBy, string ChangedByName) : LiveEvent;

/// <summary>Tiers moved (an evaluation, an override) or orders changed the figures: dashboards refresh.</summary>
public sealed record TiersChanged(int Customers) : LiveEvent
{
    /// <summary>Every role: each dashboard re-reads within its own scope.</summary>
    public static IReadOnlyList<string> Everyone { get; } = Enum.GetValues<Access.Role>().Select(Access.Audience.ForRole).ToList();
}

/// <summary>An import committed a batch, or stopped: its owner's pages move the progress bar.</summary>
public sealed record ImportProgressed(Guid ImportId, int Processed, int Total, string Status) : LiveEvent;

/// <summary>
/// A user's access changed (deactivated, roles or teams): every instance forgets the cached security stamp and drops the
/// user's hub connections; their circuits and next requests are checked against the new stamp.
/// </summary>
public sealed record UserAccessChanged(Guid UserId) : LiveEvent
{
    public static UserAccessChanged For(Guid userId) => new(userId) { Audience = [Access.Audience.ForUser(userId)] };
}

/// <summary>
/// Local only, never recorded nor sent through Redis: this instance may have missed events, so every open page re-reads
/// its data once and the layout shows a short "live updates reconnected" hint (<see cref="LocalLiveEvents.ResyncAsync"/>).
/// </summary>
public sealed record LiveResync(string Reason) : LiveEvent;
