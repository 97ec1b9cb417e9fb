using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>
/// The ticket SLA watch (SPEC G3), run every minute by every instance. At <see cref="SlaClock.WarningShare"/> of the
/// response and of the resolution target the assignee is warned; at the deadline the assignee and the group's
/// supervisors are alerted. A ticket waiting for the customer is skipped: its resolution clock stands still, and on
/// resume <see cref="TicketTransitions"/> moves its warning and due instants on.
/// <para>
/// Once across instances (J3): each notification goes through its unique key first — of two passes racing, one
/// stores and sends, the other inserts nothing — and then the stage is marked on the ticket with a conditional
/// update, so later passes no longer read it. A pass that dies between the two repeats the notifications, which
/// the keys swallow: an alert is never lost and never doubled. The candidates are read through indexes on the
/// stage columns, in batches, so the pass costs what is due, not what is open.
/// </para>
/// <para>
/// Each ticket a pass marks is told live once (<see cref="TicketChanged"/>), so open boards and lists redraw its
/// "breached" state: by the instance whose conditional update marked it, and once per pass however many stages it reached.
/// </para>
/// </summary>
public sealed class TicketSlaJob(IDbContextFactory<CrmDbContext> dbFactory, NotificationService notifications, ILiveEvents liveEvents, TimeProvider time)
{
    /// <summary>How many tickets one batch reads: memory stays flat however many are due at once.</summary>
    public const int BatchSize = 500;

    /// <summary>At most this many batches per stage in one pass; what is left waits a minute.</summary>
    private const int MaxBatches = 40;

    private enum Stage
    {
        ResponseBreached,
        ResolutionBreached,
        ResponseWarning,
        ResolutionWarning,
    }

    private sealed record Candidate(Guid Id, string Number, Guid? AssigneeId, Guid? GroupId, DateTime ResponseDueAt, DateTime ResolutionDueAt, string CustomerName);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var told = new HashSet<Guid>();
        // Breaches first: a breach also marks its warning, so a pass that finds both sends only the alert.
        foreach (var stage in Enum.GetValues<Stage>())
        {
            await RunStageAsync(stage, now, told, cancellationToken);
        }
    }

    private async Task RunStageAsync(Stage stage, DateTime now, HashSet<Guid> told, CancellationToken cancellationToken)
    {
        var watchers = new Dictionary<Guid, List<Guid>>();
        List<Guid>? admins = null;
        for (var batch = 0; batch < MaxBatches; batch++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // Marked tickets leave the candidates, so each batch reads the next ones from the top.
            var due = await (
                from t in Ordered(Pending(db.Tickets.AsNoTracking(), stage, now), stage)
                join c in db.Customers on t.CustomerId equals c.Id
                select new Candidate(t.Id, t.Number, t.AssigneeId, t.GroupId, t.ResponseDueAt, t.ResolutionDueAt, c.Name))
                .Take(BatchSize).ToListAsync(cancellationToken);
            foreach (var ticket in due)
            {
                var recipients = new List<Guid>();
                if (ticket.AssigneeId is { } assignee)
                {
                    recipients.Add(assignee);
                }
                if (IsBreach(stage) || ticket.AssigneeId is null)
                {
                    // Nobody holds a warned ticket: whoever hands it out is warned instead.
                    recipients.AddRange(ticket.GroupId is { } groupId
                        ? watchers.TryGetValue(groupId, out var known) ? known : watchers[groupId] = await TicketRouting.SupervisorsAsync(db, groupId, cancellationToken)
                        : admins ??= await AdminsAsync(db, cancellationToken));
                }
                await NotifyAsync(stage, ticket, recipients.Distinct(), cancellationToken);
                if (await MarkAndRecordAsync(db, ticket.Id, stage, now, told.Contains(ticket.Id), cancellationToken))
                {
                    if (IsBreach(stage))
                    {
                        CrmMetrics.SlaBreached("ticket", stage == Stage.ResponseBreached ? "response" : "resolution");
                    }
                    told.Add(ticket.Id);
                }
            }
            await db.PublishRecordedAsync(liveEvents, cancellationToken);
            if (due.Count < BatchSize)
            {
                return;
            }
        }
    }

    private async Task NotifyAsync(Stage stage, Candidate ticket, IEnumerable<Guid> recipients, CancellationToken cancellationToken)
    {
        var kind = stage switch
        {
            Stage.ResponseWarning => NotificationKinds.TicketResponseWarning,
            Stage.ResponseBreached => NotificationKinds.TicketResponseBreached,
            Stage.ResolutionWarning => NotificationKinds.TicketResolutionWarning,
            _ => NotificationKinds.TicketResolutionBreached,
        };
        var dueAt = stage is Stage.ResponseWarning or Stage.ResponseBreached ? ticket.ResponseDueAt : ticket.ResolutionDueAt;
        foreach (var userId in recipients)
        {
            await notifications.NotifyAsync(userId, kind, [ticket.Number, ticket.CustomerName, dueAt.ToString("O", CultureInfo.InvariantCulture)],
                NotificationSubject.Ticket(ticket.Id), $"{kind}:{ticket.Id}:{userId}", cancellationToken);
        }
    }

    /// <summary>
    /// Marks the stage told and, the first time this pass marks the ticket, records its <see cref="TicketChanged"/> (as the
    /// system) in the same transaction, so the boards hear of it even if this instance dies right after. False if another
    /// instance marked it first.
    /// </summary>
    private static async Task<bool> MarkAndRecordAsync(CrmDbContext db, Guid ticketId, Stage stage, DateTime now, bool alreadyTold, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await MarkAsync(Pending(db.Tickets.Where(t => t.Id == ticketId), stage, now), stage, now, cancellationToken) == 0)
        {
            return false;
        }
        if (!alreadyTold)
        {
            var ticket = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticketId, cancellationToken);
            var ownerId = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.OwnerId).SingleAsync(cancellationToken);
            await TicketLive.RecordAsync(db, ticket, ownerId, null, SystemUser.Instance.DisplayName, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static bool IsBreach(Stage stage) => stage is Stage.ResponseBreached or Stage.ResolutionBreached;

    /// <summary>The tickets whose stage is due and not yet told. The response clock never pauses; the resolution clock does.</summary>
    private static IQueryable<Ticket> Pending(IQueryable<Ticket> tickets, Stage stage, DateTime now) => stage switch
    {
        Stage.ResponseBreached => tickets.Where(t => t.FirstResponseAt == null && t.ResponseBreachedAt == null && t.ResponseDueAt <= now),
        Stage.ResponseWarning => tickets.Where(t => t.FirstResponseAt == null && t.ResponseWarnedAt == null && t.ResponseWarnAt <= now),
        Stage.ResolutionBreached => tickets.Where(t => t.ResolvedAt == null && t.PausedSince == null && t.ResolutionBreachedAt == null && t.ResolutionDueAt <= now),
        _ => tickets.Where(t => t.ResolvedAt == null && t.PausedSince == null && t.ResolutionWarnedAt == null && t.ResolutionWarnAt <= now),
    };

    /// <summary>The longest overdue first, in the order of the stage's index.</summary>
    private static IQueryable<Ticket> Ordered(IQueryable<Ticket> tickets, Stage stage) => stage switch
    {
        Stage.ResponseBreached => tickets.OrderBy(t => t.ResponseDueAt).ThenBy(t => t.Id),
        Stage.ResponseWarning => tickets.OrderBy(t => t.ResponseWarnAt).ThenBy(t => t.Id),
        Stage.ResolutionBreached => tickets.OrderBy(t => t.ResolutionDueAt).ThenBy(t => t.Id),
        _ => tickets.OrderBy(t => t.ResolutionWarnAt).ThenBy(t => t.Id),
    };

    /// <summary>Marks the stage told, only while it is still pending; a breach marks its warning too. No version bump: users' edits do not conflict with it.</summary>
    private static Task<int> MarkAsync(IQueryable<Ticket> ticket, Stage stage, DateTime now, CancellationToken cancellationToken) => stage switch
    {
        Stage.ResponseBreached => ticket.ExecuteUpdateAsync(s => s.SetProperty(t => t.ResponseBreachedAt, now).SetProperty(t => t.ResponseWarnedAt, t => t.ResponseWarnedAt ?? now), cancellationToken),
        Stage.ResponseWarning => ticket.ExecuteUpdateAsync(s => s.SetProperty(t => t.ResponseWarnedAt, now), cancellationToken),
        Stage.ResolutionBreached => ticket.ExecuteUpdateAsync(s => s.SetProperty(t => t.ResolutionBreachedAt, now).SetProperty(t => t.ResolutionWarnedAt, t => t.ResolutionWarnedAt ?? now), cancellationToken),
        _ => ticket.ExecuteUpdateAsync(s => s.SetProperty(t => t.ResolutionWarnedAt, now), cancellationToken),
    };

    private static async Task<List<Guid>> AdminsAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var admin = Role.Admin.ToString();
        return (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Roles.Contains(admin)).Select(u => new { u.Id, u.Roles }).ToListAsync(cancellationToken))
            .Where(u => AppUser.ParseRoles(u.Roles).Contains(Role.Admin)).Select(u => u.Id).ToList();
    }
}
