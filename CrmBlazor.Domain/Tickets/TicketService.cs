using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.WorkingTime;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Tickets;

public sealed record TicketInput(
    Guid CustomerId, Guid? ContactId, string? Category, string? ProductModule, string? Title, string? Description,
    TicketSeverity Severity, TicketChannel Channel);

/// <summary>What a change left behind: enough for a page to show the result and send the next change with the right version.</summary>
public sealed record TicketRef(Guid Id, string Number, int Version, TicketStatus Status, Guid? GroupId, Guid? AssigneeId, TicketQueueReason QueueReason)
{
    internal static TicketRef Of(Ticket t) => new(t.Id, t.Number, t.Version, t.Status, t.GroupId, t.AssigneeId, t.QueueReason);
}

/// <summary>A reopen: the same ticket within <see cref="TicketOptions.ReopenDays"/>, else a new one linked to it.</summary>
public sealed record ReopenResult(TicketRef Ticket, bool IsNewTicket);

/// <summary>
/// Service tickets (SPEC G1, G2, D5): logged on customers the caller may see, numbered once, routed and
/// auto-assigned in the same transaction, moved along <see cref="TicketTransitions"/> with the version the user
/// saw, every change written to the ticket's history, told live, and assignments notified.
/// </summary>
public sealed class TicketService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    NotificationService notifications,
    CompanyClock clock,
    IOptions<TicketOptions> options)
{
    public async Task<TicketRef> CreateAsync(TicketInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, input.CustomerId, cancellationToken);
        await ValidateAsync(db, input, cancellationToken);
        var ticket = await CreateCoreAsync(db, customer, input, reopenedFromId: null, cancellationToken);
        return TicketRef.Of(ticket);
    }

    /// <summary>Gives the ticket to someone: supervisors and Admins to any eligible member; others may only take an unassigned ticket themselves.</summary>
    public async Task<TicketRef> AssignAsync(Guid id, int version, Guid assigneeId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await LoadForChangeAsync(db, id, version, cancellationToken);
        var takesFromQueue = assigneeId == currentUser.UserId && ticket.AssigneeId is null;
        if (!MayReassign && !takesFromQueue)
        {
            throw new AccessDeniedException("Error.TicketAssignNotAllowed", "Only a supervisor or an Admin gives tickets to others; you may take an unassigned ticket yourself.");
        }
        if (!TicketTransitions.IsOpen(ticket.Status))
        {
            throw Invalid(nameof(Ticket.Status), "Validation.TicketNotOpen", "This ticket is resolved or closed: reopen it first.");
        }
        if (!await MayBeAssignedAsync(db, ticket, assigneeId, cancellationToken))
        {
            throw Invalid(nameof(Ticket.AssigneeId), "Validation.TicketAssigneeInvalid", "Choose an active member of the ticket's group, or someone who may see its customer.");
        }
        if (ticket.AssigneeId == assigneeId)
        {
            return TicketRef.Of(ticket);
        }
        var names = await NamesAsync(db, [ticket.AssigneeId, assigneeId], cancellationToken);
        Record(db, ticket, TicketFields.Assignee, Name(names, ticket.AssigneeId), Name(names, assigneeId));
        ticket.AssigneeId = assigneeId;
        ticket.QueueReason = TicketQueueReason.None;
        if (ticket.Status == TicketStatus.New)
        {
            await MoveAsync(db, ticket, TicketStatus.Assigned, cancellationToken);
        }
        var customer = await CustomerOfAsync(db, ticket, cancellationToken);
        await RecordChangeAsync(db, ticket, customer, cancellationToken);
        StageAssignedNotification(db, ticket, customer);
        await db.SaveOrConflictAsync(ticket, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return TicketRef.Of(ticket);
    }

    /// <summary>
    /// Moves the ticket (the board's drag and drop). Refuses moves outside <see cref="TicketTransitions"/> with a
    /// message naming both statuses; a move out of resolved or closed is a reopen, allowed within the reopen window.
    /// </summary>
    public async Task<TicketRef> ChangeStatusAsync(Guid id, int version, TicketStatus to, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await LoadForChangeAsync(db, id, version, cancellationToken);
        if (ticket.Status == to)
        {
            return TicketRef.Of(ticket);
        }
        CheckTransition(ticket, to);
        await MoveAsync(db, ticket, to, cancellationToken);
        return await SaveAndPublishAsync(db, ticket, cancellationToken);
    }

    /// <summary>Resolves the ticket, with an optional customer-facing reply saved in the same change.</summary>
    public async Task<TicketRef> ResolveAsync(Guid id, int version, string? reply = null, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await LoadForChangeAsync(db, id, version, cancellationToken);
        CheckTransition(ticket, TicketStatus.Resolved);
        if (!string.IsNullOrWhiteSpace(reply))
        {
            AddComment(db, ticket, reply, isInternal: false);
        }
        await MoveAsync(db, ticket, TicketStatus.Resolved, cancellationToken);
        return await SaveAndPublishAsync(db, ticket, cancellationToken);
    }

    public Task<TicketRef> CloseAsync(Guid id, int version, CancellationToken cancellationToken = default) =>
        ChangeStatusAsync(id, version, TicketStatus.Closed, cancellationToken);

    /// <summary>
    /// Reopens a resolved or closed ticket: within <see cref="TicketOptions.ReopenDays"/> of its resolution the same
    /// ticket goes back to in progress (its resolution clock resumes); later a new ticket is opened, linked to it.
    /// </summary>
    public async Task<ReopenResult> ReopenAsync(Guid id, int version, string? reason, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Edit);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw Invalid("Reason", "Validation.TicketReopenReasonRequired", "Say why the ticket is reopened.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await LoadForChangeAsync(db, id, version, cancellationToken);
        if (TicketTransitions.IsOpen(ticket.Status))
        {
            throw NotAllowed(ticket.Status, TicketStatus.InProgress);
        }
        if (WithinReopenWindow(ticket))
        {
            AddComment(db, ticket, reason, isInternal: true);
            await MoveAsync(db, ticket, TicketStatus.InProgress, cancellationToken);
            return new ReopenResult(await SaveAndPublishAsync(db, ticket, cancellationToken), IsNewTicket: false);
        }
        permissions.Demand(currentUser, Module.Tickets, Operation.Create);
        var customer = await db.VisibleCustomerAsync(currentUser, ticket.CustomerId, cancellationToken);
        var input = new TicketInput(ticket.CustomerId, ticket.ContactId, ticket.Category, ticket.ProductModule, ticket.Title,
            $"{reason.Trim()}\n\n{ticket.Number}: {ticket.Description}", ticket.Severity, ticket.Channel);
        var followUp = await CreateCoreAsync(db, customer, input with { Description = Truncate(input.Description!, 4000) }, ticket.Id, cancellationToken);
        Record(db, ticket, TicketFields.FollowedUpBy, null, followUp.Number);
        await RecordChangeAsync(db, ticket, customer, cancellationToken);
        await db.SaveOrConflictAsync(ticket, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return new ReopenResult(TicketRef.Of(followUp), IsNewTicket: true);
    }

    /// <summary>
    /// Adds an internal note or a customer-facing reply. The first reply is the first response. A comment carries no
    /// version: it only adds, so a concurrent change of the ticket is re-read rather than reported as a conflict.
    /// </summary>
    public async Task<Guid> CommentAsync(Guid id, string? body, bool isInternal, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Edit);
        if (string.IsNullOrWhiteSpace(body))
        {
            throw Invalid(nameof(TicketComment.Body), "Validation.TicketCommentRequired", "Write the note or the reply.");
        }
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var ticket = await db.VisibleTicketAsync(currentUser, id, cancellationToken);
            var comment = AddComment(db, ticket, body, isInternal);
            try
            {
                await SaveAndPublishAsync(db, ticket, cancellationToken);
                return comment.Id;
            }
            catch (ConcurrencyConflictException) when (attempt < 2)
            {
                // Someone moved the ticket meanwhile: add the comment to the ticket as it is now.
            }
        }
    }

    /// <summary>Whether <paramref name="user"/> gives a ticket to anyone in its group (a Supervisor, an Admin, the system); others take from the queue.</summary>
    public static bool MayReassignAny(ICurrentUser user) => user.IsIn(Role.Admin) || user.IsIn(Role.Supervisor) || user.IsSystem;

    private bool MayReassign => MayReassignAny(currentUser);

    private async Task<Ticket> CreateCoreAsync(CrmDbContext db, Customer customer, TicketInput input, Guid? reopenedFromId, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var calendar = await WorkingCalendarService.LoadAsync(db, clock.Zone, cancellationToken);
        var policies = await db.SlaPolicies.AsNoTracking().Where(p => p.Severity == input.Severity).ToListAsync(cancellationToken);
        var targets = SlaDefaults.Resolve(policies, input.Severity, customer.Tier);
        var ticket = new Ticket
        {
            Number = "",
            CustomerId = customer.Id,
            ContactId = input.ContactId,
            Category = input.Category!,
            ProductModule = string.IsNullOrWhiteSpace(input.ProductModule) ? null : input.ProductModule.Trim(),
            Title = input.Title!.Trim(),
            Description = input.Description!.Trim(),
            Severity = input.Severity,
            Channel = input.Channel,
            Status = TicketStatus.New,
            SlaMode = targets.Mode,
            ResponseTargetMinutes = targets.ResponseMinutes,
            ResolutionTargetMinutes = targets.ResolutionMinutes,
            OpenedAt = now,
            ResponseDueAt = SlaClock.DueAt(now, targets.ResponseMinutes, targets.Mode, calendar, TimeSpan.Zero),
            ResolutionDueAt = SlaClock.DueAt(now, targets.ResolutionMinutes, targets.Mode, calendar, TimeSpan.Zero),
            ResponseWarnAt = SlaClock.WarnAt(now, targets.ResponseMinutes, targets.Mode, calendar, TimeSpan.Zero),
            ResolutionWarnAt = SlaClock.WarnAt(now, targets.ResolutionMinutes, targets.Mode, calendar, TimeSpan.Zero),
            ReopenedFromId = reopenedFromId,
        };
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var year = clock.Today.Year;
            ticket.Number = $"TK{year}{await NumberSequences.NextAsync(db, $"ticket:{year}", cancellationToken):00000}";
            var route = await TicketRouting.RouteAsync(db, ticket.Category, cancellationToken);
            (ticket.GroupId, ticket.AssigneeId, ticket.QueueReason) = (route.GroupId, route.AssigneeId, route.QueueReason);
            db.Tickets.Add(ticket);
            Record(db, ticket, TicketFields.Created, null, ticket.Number);
            if (route.AssigneeId is { } assignee)
            {
                var names = await NamesAsync(db, [assignee], cancellationToken);
                Record(db, ticket, TicketFields.Assignee, null, Name(names, assignee));
                await MoveAsync(db, ticket, TicketStatus.Assigned, cancellationToken);
            }
            await RecordChangeAsync(db, ticket, customer, cancellationToken);
            if (ticket.AssigneeId is not null)
            {
                StageAssignedNotification(db, ticket, customer);
            }
            else
            {
                await StageQueuedNotificationsAsync(db, ticket, customer, cancellationToken);
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return ticket;
    }

    private static async Task ValidateAsync(CrmDbContext db, TicketInput input, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(input.Title))
        {
            errors.Add(new ValidationError(nameof(Ticket.Title), "Validation.TicketTitleRequired", "Give the ticket a short title."));
        }
        if (string.IsNullOrWhiteSpace(input.Description))
        {
            errors.Add(new ValidationError(nameof(Ticket.Description), "Validation.TicketDescriptionRequired", "Describe the customer's problem."));
        }
        if (string.IsNullOrWhiteSpace(input.Category)
            || !await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKind.TicketCategory && d.Code == input.Category && d.IsActive, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Ticket.Category), "Validation.TicketCategoryRequired", "Choose the ticket's category."));
        }
        if (input.ContactId is { } contactId && !await db.Contacts.AnyAsync(c => c.Id == contactId && c.CustomerId == input.CustomerId, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Ticket.ContactId), "Validation.TicketContactNotOfCustomer", "Choose one of this customer's contacts."));
        }
        ValidationFailedException.ThrowIfAny(errors);
    }

    private void CheckTransition(Ticket ticket, TicketStatus to)
    {
        if (!TicketTransitions.IsAllowed(ticket.Status, to) || (to == TicketStatus.Assigned && ticket.AssigneeId is null))
        {
            throw NotAllowed(ticket.Status, to);
        }
        if (TicketTransitions.IsReopen(ticket.Status, to) && !WithinReopenWindow(ticket))
        {
            throw Invalid(nameof(Ticket.Status), "Validation.TicketReopenWindowPassed",
                $"The ticket was resolved more than {options.Value.ReopenDays} days ago: reopening it opens a new ticket linked to it.", options.Value.ReopenDays);
        }
    }

    private bool WithinReopenWindow(Ticket ticket) =>
        (ticket.ResolvedAt ?? ticket.ClosedAt ?? clock.UtcNow).AddDays(options.Value.ReopenDays) >= clock.UtcNow;

    private async Task MoveAsync(CrmDbContext db, Ticket ticket, TicketStatus to, CancellationToken cancellationToken)
    {
        var calendar = await WorkingCalendarService.LoadAsync(db, clock.Zone, cancellationToken);
        Record(db, ticket, TicketFields.Status, ticket.Status.ToString(), to.ToString());
        TicketTransitions.Apply(ticket, to, clock.UtcNow, calendar);
        if (to == TicketStatus.Resolved)
        {
            await TicketFollowUpService.PlanVisitAsync(db, ticket, currentUser.UserId, clock.UtcNow, calendar, options.Value, cancellationToken);
        }
    }

    private TicketComment AddComment(CrmDbContext db, Ticket ticket, string body, bool isInternal)
    {
        var now = clock.UtcNow;
        var comment = new TicketComment
        {
            TicketId = ticket.Id, Body = Truncate(body.Trim(), 4000), IsInternal = isInternal, At = now,
            ByUserId = currentUser.UserId, ByName = currentUser.DisplayName,
        };
        db.TicketComments.Add(comment);
        if (!isInternal && ticket.FirstResponseAt is null)
        {
            ticket.FirstResponseAt = now;
            Record(db, ticket, TicketFields.FirstResponse, null, "reply");
        }
        ticket.UpdatedAt = now; // the ticket row changes with every comment, so open pages see it through its version
        return comment;
    }

    private void Record(CrmDbContext db, Ticket ticket, string field, string? from, string? to) =>
        db.TicketHistory.Add(new TicketHistory
        {
            TicketId = ticket.Id, Sequence = ++ticket.HistoryCount, At = clock.UtcNow, ByUserId = currentUser.UserId, ByName = currentUser.DisplayName,
            Field = field, From = from, To = to,
        });

    private async Task<Ticket> LoadForChangeAsync(CrmDbContext db, Guid id, int version, CancellationToken cancellationToken)
    {
        var ticket = await db.VisibleTicketAsync(currentUser, id, cancellationToken);
        db.ExpectVersion(ticket, version);
        return ticket;
    }

    private async Task<TicketRef> SaveAndPublishAsync(CrmDbContext db, Ticket ticket, CancellationToken cancellationToken)
    {
        await RecordChangeAsync(db, ticket, await CustomerOfAsync(db, ticket, cancellationToken), cancellationToken);
        await db.SaveOrConflictAsync(ticket, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return TicketRef.Of(ticket);
    }

    private static Task<Customer> CustomerOfAsync(CrmDbContext db, Ticket ticket, CancellationToken cancellationToken) =>
        db.Customers.AsNoTracking().Include(c => c.Owner).ThenInclude(o => o!.Memberships).SingleAsync(c => c.Id == ticket.CustomerId, cancellationToken);

    private static async Task<bool> MayBeAssignedAsync(CrmDbContext db, Ticket ticket, Guid userId, CancellationToken cancellationToken) =>
        await db.Users.AnyAsync(u => u.Id == userId && u.IsActive, cancellationToken)
        && ((ticket.GroupId is { } groupId && await db.SupportGroupMembers.AnyAsync(m => m.GroupId == groupId && m.UserId == userId && m.Role == SupportGroupRole.Agent, cancellationToken))
            || await db.UserMaySeeAsync(userId, ticket.CustomerId, cancellationToken));

    private Task RecordChangeAsync(CrmDbContext db, Ticket ticket, Customer customer, CancellationToken cancellationToken) =>
        TicketLive.RecordAsync(db, ticket, customer.OwnerId, currentUser.UserId, currentUser.DisplayName, cancellationToken);

    /// <summary>The assignee's notification, in the same transaction as the assignment: it survives a crash after the commit.</summary>
    private void StageAssignedNotification(CrmDbContext db, Ticket ticket, Customer customer)
    {
        if (ticket.AssigneeId is { } assignee && assignee != currentUser.UserId)
        {
            notifications.Stage(db, assignee, NotificationKinds.TicketAssigned, [currentUser.DisplayName, ticket.Number, customer.Name],
                NotificationSubject.Ticket(ticket.Id), $"{NotificationKinds.TicketAssigned}:{ticket.Id}:{assignee}:{ticket.Version}");
        }
    }

    /// <summary>A ticket nobody could take is never left silent: the group's supervisors (or, without a group, the Admins) are told.</summary>
    private async Task StageQueuedNotificationsAsync(CrmDbContext db, Ticket ticket, Customer customer, CancellationToken cancellationToken)
    {
        if (ticket.QueueReason == TicketQueueReason.ManualAssignment)
        {
            return; // the group hands out by hand: its queue is the supervisors' daily work, not an alarm
        }
        List<Guid> recipients;
        var groupName = "";
        if (ticket.GroupId is { } groupId)
        {
            recipients = await TicketRouting.SupervisorsAsync(db, groupId, cancellationToken);
            groupName = await db.SupportGroups.Where(g => g.Id == groupId).Select(g => g.Name).SingleAsync(cancellationToken);
        }
        else
        {
            var admin = Role.Admin.ToString();
            recipients = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Roles.Contains(admin)).Select(u => new { u.Id, u.Roles }).ToListAsync(cancellationToken))
                .Where(u => AppUser.ParseRoles(u.Roles).Contains(Role.Admin)).Select(u => u.Id).ToList();
        }
        foreach (var userId in recipients)
        {
            notifications.Stage(db, userId, NotificationKinds.TicketQueued, [ticket.Number, groupName, customer.Name, ticket.QueueReason.ToString()],
                NotificationSubject.Ticket(ticket.Id), $"{NotificationKinds.TicketQueued}:{ticket.Id}:{userId}");
        }
    }

    private static async Task<Dictionary<Guid, string>> NamesAsync(CrmDbContext db, IEnumerable<Guid?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    private static string? Name(Dictionary<Guid, string> names, Guid? id) => id is { } value ? names.GetValueOrDefault(value, value.ToString()) : null;

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static ValidationFailedException Invalid(string field, string key, string message, params object[] args) =>
        new([new ValidationError(field, key, message, args)]);

    private static ValidationFailedException NotAllowed(TicketStatus from, TicketStatus to) =>
        Invalid(nameof(Ticket.Status), "Validation.TicketTransitionNotAllowed", $"A ticket cannot move from {from} to {to}.",
            new TextKey($"Ticket.Status.{from}"), new TextKey($"Ticket.Status.{to}"));
}

/// <summary>The <see cref="TicketHistory.Field"/> names.</summary>
public static class TicketFields
{
    public const string Created = "Created";
    public const string Status = "Status";
    public const string Assignee = "Assignee";
    public const string FirstResponse = "FirstResponse";
    public const string FollowedUpBy = "FollowedUpBy";
    public const string Attachment = "Attachment";
}
