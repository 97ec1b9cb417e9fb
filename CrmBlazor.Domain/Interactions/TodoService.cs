using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Interactions;

/// <summary>How "My work" orders my to-dos.</summary>
public enum TodoSort
{
    /// <summary>Soonest due first (overdue ones lead).</summary>
    DueDate,

    /// <summary>By customer name, then due.</summary>
    Customer,

    /// <summary>Most recently created first.</summary>
    Newest,
}

/// <summary>
/// One of my to-dos. The customer is null when my record scope no longer holds it (handed to another team
/// since): the to-do stays mine to close or move, without naming the customer.
/// A follow-up visit after a ticket's resolution (SPEC G4) carries its <paramref name="TicketId"/>.
/// </summary>
public sealed record MyTodo(Guid Id, int Version, string What, DateTime DueAt, bool IsOverdue, Guid? CustomerId, string? CustomerNumber, string? CustomerName, Guid? TicketId = null);

/// <summary>
/// A user's to-dos (SPEC C2): what "My work" lists, done and snoozed by their owner. Nobody reassigns a to-do
/// here; who may be given one is checked where it is made (<see cref="InteractionService.LogAsync"/>).
/// </summary>
public sealed class TodoService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, TimeProvider time)
{
    /// <summary>My open to-dos in the order I chose (soonest due first by default); overdue ones are marked.</summary>
    public async Task<IReadOnlyList<MyTodo>> MineAsync(TodoSort sort = TodoSort.DueDate, CancellationToken cancellationToken = default)
    {
        var me = currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Customers.VisibleTo(currentUser);
        var mine =
            from t in db.Todos.AsNoTracking()
            join c in db.Customers on t.CustomerId equals c.Id
            where t.OwnerId == me && t.DoneAt == null
            let seen = visible.Any(v => v.Id == c.Id)
            select new { t.Id, t.Version, t.What, t.DueAt, t.CreatedAt, t.CustomerId, t.TicketId, Number = seen ? c.Number : null, Name = seen ? c.Name : null };
        var ordered = sort switch
        {
            TodoSort.Customer => mine.OrderBy(t => t.Name == null).ThenBy(t => t.Name).ThenBy(t => t.DueAt),
            TodoSort.Newest => mine.OrderByDescending(t => t.CreatedAt),
            _ => mine.OrderBy(t => t.DueAt),
        };
        var todos = await ordered.ThenBy(t => t.Id).Take(200).ToListAsync(cancellationToken);
        return todos.Select(t => new MyTodo(t.Id, t.Version, t.What, t.DueAt, t.DueAt < now, t.Name is null ? null : t.CustomerId, t.Number, t.Name, t.TicketId)).ToList();
    }

    public Task CompleteAsync(Guid id, int version, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, todo => todo.DoneAt = time.GetUtcNow().UtcDateTime, cancellationToken);

    /// <summary>Moves the due time on by <paramref name="delay"/> from now or from the old due time, whichever is later.</summary>
    public Task SnoozeAsync(Guid id, int version, TimeSpan delay, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, todo =>
        {
            var now = time.GetUtcNow().UtcDateTime;
            todo.DueAt = (todo.DueAt > now ? todo.DueAt : now) + delay;
        }, cancellationToken);

    private async Task ChangeAsync(Guid id, int version, Action<TodoItem> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var todo = await db.Todos.SingleOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(TodoItem), id);
        if (todo.OwnerId != currentUser.UserId && !currentUser.IsIn(Role.Admin))
        {
            throw new AccessDeniedException("Error.NotYourTodo", "Only the owner of a to-do can close or move it.");
        }
        db.ExpectVersion(todo, version);
        change(todo);
        await db.SaveOrConflictAsync(todo, cancellationToken);
    }
}
