using CrmBlazor.Domain.Interactions;

namespace CrmBlazor.Server.Features.Api;

/// <summary>A logged interaction with its to-dos, from the Domain's <see cref="InteractionDetails"/>; times in UTC.</summary>
public sealed record InteractionResource(
    Guid Id, Guid CustomerId, string Type, DateTime At, string? Topic, string? Summary, string? Feedback,
    IReadOnlyList<Guid> ContactIds, IReadOnlyList<Guid> ParticipantIds, Guid? DemandId, Guid? TicketId,
    Guid? ById, string ByName, DateTime CreatedAt, IReadOnlyList<TodoResource> Todos)
{
    public static InteractionResource From(InteractionDetails i) => new(
        i.Id, i.CustomerId, i.Type, ApiTime.Utc(i.At), i.Topic, i.Summary, i.Feedback, i.ContactIds, i.ParticipantIds, i.DemandId, i.TicketId,
        i.ById, i.ByName, ApiTime.Utc(i.CreatedAt), [.. i.Todos.Select(t => new TodoResource(t.Id, t.What, t.OwnerId, ApiTime.Utc(t.DueAt), ApiTime.Utc(t.DoneAt)))]);
}

public sealed record TodoResource(Guid Id, string What, Guid OwnerId, DateTime DueAt, DateTime? DoneAt);

/// <summary>One page of a customer's interactions, newest first: <paramref name="Page"/> counts from 1.</summary>
public sealed record InteractionListResource(IReadOnlyList<InteractionResource> Items, int Page, int PageSize, int Total);

/// <summary>
/// An interaction to log, as the page's dialog takes it: <paramref name="Type"/> a code of the InteractionType dictionary,
/// <paramref name="At"/> when it happened (UTC with "Z", or company time without an offset), at least a topic, a summary or
/// feedback; contacts of the customer and participating users by id; a demand or ticket of the customer to link.
/// </summary>
public sealed record NewInteraction(
    string? Type, DateTime? At, string? Topic = null, string? Summary = null, string? Feedback = null,
    IReadOnlyList<Guid>? ContactIds = null, IReadOnlyList<Guid>? ParticipantIds = null, IReadOnlyList<NewTodo>? Todos = null,
    Guid? DemandId = null, Guid? TicketId = null)
{
    public InteractionInput ToInput(Guid customerId) => new(
        customerId, Type, Instant(At), Topic, Summary, Feedback, ContactIds ?? [], ParticipantIds ?? [],
        [.. (Todos ?? []).Select(t => new TodoInput(t.What ?? "", t.OwnerId, Instant(t.DueAt)))], DemandId, TicketId);

    /// <summary>
    /// System.Text.Json reads "…Z" as UTC, "…+08:00" as the server's local time and no offset as unspecified: the first two
    /// are instants (to UTC), the last is company time, which the service converts.
    /// </summary>
    private static DateTime? Instant(DateTime? value) => value is { Kind: DateTimeKind.Local } local ? local.ToUniversalTime() : value;
}

/// <summary>A to-do (reminder) from the interaction: what, for whom (a user who may see the customer), due when.</summary>
public sealed record NewTodo(string? What, Guid? OwnerId, DateTime? DueAt);
