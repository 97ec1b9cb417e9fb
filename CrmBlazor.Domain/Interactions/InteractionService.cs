using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Interactions;

public sealed record TodoInput(string What, Guid? OwnerId, DateTime? DueAt);

public sealed record InteractionInput(
    Guid CustomerId, string? Type, DateTime? At, string? Topic, string? Summary, string? Feedback,
    IReadOnlyList<Guid> ContactIds, IReadOnlyList<Guid> ParticipantIds, IReadOnlyList<TodoInput> Todos, Guid? DemandId = null, Guid? TicketId = null);

/// <summary>
/// Logs interactions on customers the caller may see (SPEC C1) with their to-dos (C2); an interaction
/// moves the customer's last contact and appears on its timeline.
/// </summary>
public sealed class InteractionService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    Notifications.NotificationService notifications,
    CompanyClock clock)
{
    public async Task<Interaction> LogAsync(InteractionInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Interactions, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, input.CustomerId, cancellationToken);

        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(input.Topic) && string.IsNullOrWhiteSpace(input.Summary) && string.IsNullOrWhiteSpace(input.Feedback))
        {
            errors.Add(new ValidationError(nameof(Interaction.Summary), "Validation.InteractionEmpty", "Write at least a topic, a summary or the customer's feedback."));
        }
        if (string.IsNullOrWhiteSpace(input.Type) || !await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKind.InteractionType && d.Code == input.Type && d.IsActive, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Interaction.Type), "Validation.InteractionTypeRequired", "Choose how you were in touch."));
        }
        if (input.DemandId is { } demandId && !await db.Demands.AnyAsync(d => d.Id == demandId && d.CustomerId == customer.Id, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Interaction.DemandId), "Validation.InteractionDemandOther", "Link a demand of this customer."));
        }
        if (input.TicketId is { } ticketId && !await db.Tickets.AnyAsync(t => t.Id == ticketId && t.CustomerId == customer.Id, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Interaction.TicketId), "Validation.InteractionTicketOther", "Link a ticket of this customer."));
        }
        if (input.At is null)
        {
            errors.Add(new ValidationError(nameof(Interaction.At), "Validation.InteractionTimeRequired", "Say when it happened."));
        }
        for (var i = 0; i < input.Todos.Count; i++)
        {
            var todo = input.Todos[i];
            if (string.IsNullOrWhiteSpace(todo.What) || todo.OwnerId is null || todo.DueAt is null)
            {
                errors.Add(new ValidationError($"Todos[{i}]", "Validation.TodoIncomplete", "A to-do needs what, an owner and a due time."));
            }
            else if (!await db.UserMaySeeAsync(todo.OwnerId.Value, customer.Id, cancellationToken))
            {
                // The same rule as a demand's tasks: the owner must be able to open the customer the to-do is about.
                errors.Add(new ValidationError($"Todos[{i}]", "Validation.TodoOwnerOutOfScope", "Give the to-do to an active user who may see this customer."));
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var at = TruncateToMinute(clock.ToUtc(input.At!.Value));
        var interaction = new Interaction
        {
            CustomerId = customer.Id,
            Type = input.Type!,
            At = at,
            Topic = Blank(input.Topic),
            Summary = Blank(input.Summary),
            Feedback = Blank(input.Feedback),
            ContactIds = string.Join(',', input.ContactIds),
            ParticipantIds = string.Join(',', input.ParticipantIds),
            ById = currentUser.UserId,
            ByName = currentUser.DisplayName,
            DemandId = input.DemandId,
            TicketId = input.TicketId,
            Todos = input.Todos.Select(t => new TodoItem { CustomerId = customer.Id, What = t.What.Trim(), OwnerId = t.OwnerId!.Value, DueAt = clock.ToUtc(t.DueAt!.Value) }).ToList(),
        };
        db.Interactions.Add(interaction);
        if (customer.LastContactAt is null || customer.LastContactAt < at)
        {
            customer.LastContactAt = at;
        }
        var (byId, byName) = (currentUser.UserId, currentUser.DisplayName);
        db.RecordLiveEvent(() => new CustomerChanged(customer.Id, customer.Version, byId, byName) { Audience = RecordScope.AudienceOf(customer) });

        // A to-do given to someone else is an assignment: they hear of it live (SPEC D5, C4), and the notification is
        // saved with the interaction, so it is not lost if this instance dies right after the commit.
        foreach (var todo in interaction.Todos.Where(t => t.OwnerId != currentUser.UserId))
        {
            notifications.Stage(db, todo.OwnerId, Notifications.NotificationKinds.TodoAssigned, [currentUser.DisplayName, todo.What, customer.Name],
                Notifications.NotificationSubject.Customer(customer.Id), $"{Notifications.NotificationKinds.TodoAssigned}:{todo.Id}");
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return interaction;
    }

    /// <summary>Whom a to-do on this customer may be given to (the dialog's owner picker): active users who may see it.</summary>
    public async Task<IReadOnlyList<UserOption>> TodoOwnersAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Interactions, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, customerId, cancellationToken);
        return await db.PeopleWhoMaySeeAsync(customer.Id, cancellationToken);
    }

    private static DateTime TruncateToMinute(DateTime utc) => new(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Interactions on the customer's timeline: type, topic, the linked demand's and ticket's numbers; the summary as detail.</summary>
public sealed class InteractionTimelineSource : ITimelineSource
{
    public const string Kind = "interaction";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var interactions = await (
            from i in db.Interactions.AsNoTracking()
            where i.CustomerId == customer.Id
            orderby i.At descending
            select new
            {
                Interaction = i,
                Demand = db.Demands.Where(d => d.Id == i.DemandId).Select(d => d.Number).FirstOrDefault(),
                Ticket = db.Tickets.Where(t => t.Id == i.TicketId).Select(t => t.Number).FirstOrDefault(),
            })
            .Take(200).ToListAsync(cancellationToken);
        return interactions.Select(x => new TimelineEntry(x.Interaction.At, Kind, x.Interaction.ByName,
            [x.Interaction.Type, x.Interaction.Topic ?? "", x.Demand ?? "", x.Ticket ?? ""], Detail(x.Interaction))).ToList();
    }

    private static string Detail(Interaction i) =>
        string.Join("\n", new[] { i.Summary, i.Feedback is null ? null : "“" + i.Feedback + "”" }.Where(s => s is not null));
}
