using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.WorkingTime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Tickets;

/// <summary>A recorded follow-up visit as the ticket page shows it.</summary>
public sealed record TicketFollowUpItem(Guid Id, int Round, int Score, string? Comment, DateTime At, string? ByName, bool Reopened);

/// <summary>What recording a survey did: the survey, and the reopen it asked for (null when none).</summary>
public sealed record FollowUpResult(Guid FollowUpId, ReopenResult? Reopen);

/// <summary>
/// The follow-up after resolution (SPEC G4, 回访): resolving a ticket puts a follow-up visit on the service desk's
/// to-do list (<see cref="PlanVisitAsync"/>, called by <see cref="TicketService"/> in the resolving change); the
/// desk records the customer's satisfaction 1–5 and comment once per resolution; a low score tells the group's
/// supervisors and, if asked, reopens the ticket.
/// </summary>
public sealed class TicketFollowUpService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    NotificationService notifications,
    TicketService tickets,
    CompanyClock clock)
{
    public async Task<IReadOnlyList<TicketFollowUpItem>> ForTicketAsync(Guid ticketId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.VisibleTicketAsync(currentUser, ticketId, cancellationToken);
        return await db.TicketFollowUps.AsNoTracking().Where(f => f.TicketId == ticketId).OrderBy(f => f.Round)
            .Select(f => new TicketFollowUpItem(f.Id, f.Round, f.Score, f.Comment, f.At, f.ByName, f.Reopened)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Records the visit on a resolved or closed ticket: <paramref name="score"/> 1–5 and a comment. The ticket's
    /// open follow-up to-do is done. A score of <see cref="TicketFollowUp.LowScore"/> or less tells the group's
    /// supervisors (the Admins when the ticket has no group) and, with <paramref name="reopen"/>, reopens the ticket
    /// with the comment as its reason (<see cref="TicketService.ReopenAsync"/>, which checks <paramref name="version"/>).
    /// </summary>
    public async Task<FollowUpResult> RecordAsync(Guid ticketId, int version, int score, string? comment, bool reopen, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Edit);
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > 2000 })
        {
            comment = comment[..2000];
        }
        var errors = new List<ValidationError>();
        if (score is < TicketFollowUp.MinScore or > TicketFollowUp.MaxScore)
        {
            errors.Add(new ValidationError(nameof(TicketFollowUp.Score), "Validation.FollowUpScore", "Choose a satisfaction from 1 to 5."));
        }
        if (reopen && score > TicketFollowUp.LowScore)
        {
            errors.Add(new ValidationError("Reopen", "Validation.FollowUpReopenNeedsLowScore", "Only a low score (2 or less) reopens the ticket.", TicketFollowUp.LowScore));
        }
        if (reopen && comment is null)
        {
            errors.Add(new ValidationError(nameof(TicketFollowUp.Comment), "Validation.TicketReopenReasonRequired", "Say why the ticket is reopened."));
        }
        ValidationFailedException.ThrowIfAny(errors);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.VisibleTicketAsync(currentUser, ticketId, cancellationToken);
        if (TicketTransitions.IsOpen(ticket.Status))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Ticket.Status), "Validation.FollowUpNotResolved", "Only a resolved or closed ticket is followed up.")]);
        }
        var round = ticket.ReopenCount;
        if (await db.TicketFollowUps.AnyAsync(f => f.TicketId == ticketId && f.Round == round, cancellationToken))
        {
            throw AlreadyRecorded();
        }
        var followUp = new TicketFollowUp
        {
            TicketId = ticketId, Round = round, Score = score, Comment = comment, At = clock.UtcNow, ById = currentUser.UserId, ByName = currentUser.DisplayName,
            AgentId = ticket.AssigneeId, GroupId = ticket.GroupId, Category = ticket.Category, Reopened = reopen,
        };
        // The reopen goes first: it checks the version the user saw, and a refusal leaves nothing recorded.
        var reopened = reopen ? await tickets.ReopenAsync(ticketId, version, comment, cancellationToken) : null;
        db.TicketFollowUps.Add(followUp);
        var now = clock.UtcNow;
        foreach (var todo in await db.Todos.Where(t => t.TicketId == ticketId && t.DoneAt == null).ToListAsync(cancellationToken))
        {
            todo.DoneAt = now;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (await OtherRecordedAsync(ticketId, round, cancellationToken))
            {
                throw AlreadyRecorded(); // someone recorded this resolution's visit meanwhile: the unique key kept one
            }
            throw;
        }
        if (score <= TicketFollowUp.LowScore)
        {
            await NotifyLowScoreAsync(db, ticket, followUp, cancellationToken);
        }
        return new FollowUpResult(followUp.Id, reopened);
    }

    /// <summary>
    /// Adds the follow-up visit to the to-do list of the ticket's assignee (else the one resolving it), due
    /// <see cref="TicketOptions.FollowUpWorkingHours"/> working hours later — unless the ticket has an open follow-up
    /// to-do or this resolution's survey already. Part of the resolving change: saved with it.
    /// </summary>
    internal static async Task PlanVisitAsync(CrmDbContext db, Ticket ticket, Guid? resolvedBy, DateTime nowUtc, WorkingCalendar calendar, TicketOptions options, CancellationToken cancellationToken)
    {
        if ((ticket.AssigneeId ?? resolvedBy) is not { } owner)
        {
            return; // resolved by the system on an unassigned ticket: nobody to visit the customer
        }
        var round = ticket.ReopenCount;
        if (await db.Todos.AnyAsync(t => t.TicketId == ticket.Id && t.DoneAt == null, cancellationToken)
            || await db.TicketFollowUps.AnyAsync(f => f.TicketId == ticket.Id && f.Round == round, cancellationToken))
        {
            return;
        }
        var what = $"{ticket.Number} {ticket.Title}";
        db.Todos.Add(new TodoItem
        {
            TicketId = ticket.Id, CustomerId = ticket.CustomerId, OwnerId = owner, What = what.Length <= 500 ? what : what[..500],
            DueAt = calendar.AddWorkingTime(nowUtc, TimeSpan.FromHours(Math.Max(1, options.FollowUpWorkingHours))),
        });
    }

    /// <summary>Follow-up to-dos hang on tickets without a cascade; a customer's deletion removes them first (in its transaction).</summary>
    internal static Task DeleteVisitsOfCustomersAsync(CrmDbContext db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken) =>
        db.Todos.Where(t => t.TicketId != null && customerIds.Contains(t.CustomerId)).ExecuteDeleteAsync(cancellationToken);

    private async Task NotifyLowScoreAsync(CrmDbContext db, Ticket ticket, TicketFollowUp followUp, CancellationToken cancellationToken)
    {
        List<Guid> recipients;
        if (ticket.GroupId is { } groupId)
        {
            recipients = await TicketRouting.SupervisorsAsync(db, groupId, cancellationToken);
        }
        else
        {
            var admin = Role.Admin.ToString();
            recipients = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Roles.Contains(admin)).Select(u => new { u.Id, u.Roles }).ToListAsync(cancellationToken))
                .Where(u => AppUser.ParseRoles(u.Roles).Contains(Role.Admin)).Select(u => u.Id).ToList();
        }
        var customer = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.Name).SingleAsync(cancellationToken);
        var score = followUp.Score.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var userId in recipients)
        {
            await notifications.NotifyAsync(userId, NotificationKinds.TicketLowSatisfaction, [ticket.Number, score, customer, followUp.Comment ?? ""],
                NotificationSubject.Ticket(ticket.Id), $"{NotificationKinds.TicketLowSatisfaction}:{followUp.Id}:{userId}", cancellationToken);
        }
    }

    private async Task<bool> OtherRecordedAsync(Guid ticketId, int round, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.TicketFollowUps.AnyAsync(f => f.TicketId == ticketId && f.Round == round, cancellationToken);
    }

    private static ValidationFailedException AlreadyRecorded() =>
        new([new ValidationError(nameof(TicketFollowUp.Score), "Validation.FollowUpRecorded", "This resolution's follow-up visit is recorded already.")]);
}
