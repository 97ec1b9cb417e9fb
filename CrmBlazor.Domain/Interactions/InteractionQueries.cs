using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Interactions;

/// <summary>One logged interaction with its to-dos, as a list or an API client reads it.</summary>
public sealed record InteractionDetails(
    Guid Id, Guid CustomerId, string Type, DateTime At, string? Topic, string? Summary, string? Feedback,
    IReadOnlyList<Guid> ContactIds, IReadOnlyList<Guid> ParticipantIds, Guid? DemandId, Guid? TicketId,
    Guid? ById, string ByName, DateTime CreatedAt, IReadOnlyList<TodoDetails> Todos)
{
    public static InteractionDetails Of(Interaction i) => new(
        i.Id, i.CustomerId, i.Type, i.At, i.Topic, i.Summary, i.Feedback, Ids(i.ContactIds), Ids(i.ParticipantIds), i.DemandId, i.TicketId,
        i.ById, i.ByName, i.CreatedAt, [.. i.Todos.OrderBy(t => t.DueAt).Select(t => new TodoDetails(t.Id, t.What, t.OwnerId, t.DueAt, t.DoneAt))]);

    private static Guid[] Ids(string joined) => [.. joined.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];
}

public sealed record TodoDetails(Guid Id, string What, Guid OwnerId, DateTime DueAt, DateTime? DoneAt);

/// <summary>
/// Reads a customer's interactions within the caller's record scope. Whoever may view the customer sees them, as on its
/// 360 timeline; a customer out of scope is refused as everywhere else.
/// </summary>
public sealed class InteractionQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    /// <summary>Newest first (then most recently logged); <paramref name="page"/> counts from 0.</summary>
    public async Task<PagedResult<InteractionDetails>> ListAsync(Guid customerId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Customers.VisibleTo(currentUser).AnyAsync(c => c.Id == customerId, cancellationToken))
        {
            throw await RecordScope.RefusalAsync(db.Customers, customerId, cancellationToken);
        }
        var query = db.Interactions.AsNoTracking().Where(i => i.CustomerId == customerId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(i => i.At).ThenByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Skip(page * pageSize).Take(pageSize).Include(i => i.Todos).ToListAsync(cancellationToken);
        return new PagedResult<InteractionDetails>([.. items.Select(InteractionDetails.Of)], total);
    }
}
