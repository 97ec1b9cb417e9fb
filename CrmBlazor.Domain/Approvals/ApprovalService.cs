using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Approvals;

/// <summary>
/// The approval queue (SPEC A4): anyone may ask; a Supervisor or Admin other than the requester approves or
/// rejects (a rejection says why); the requester hears of it live; an approved operation is claimed once, by
/// its requester, through a conditional update. Every step is audited (the entity is).
/// </summary>
public sealed class ApprovalService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, NotificationService notifications, TimeProvider time)
{
    public static bool MayDecide(ICurrentUser user) => user.IsIn(Role.Supervisor) || user.IsIn(Role.Admin);

    public async Task<ApprovalRequest> RequestAsync(string kind, string summary, string payload, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = new ApprovalRequest { Kind = kind, Summary = summary, Payload = payload, RequestedById = me, RequestedByName = currentUser.DisplayName, Status = ApprovalStatus.Pending };
        db.ApprovalRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        // The requester's team supervisors and every Admin hear of it.
        var approvers = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != me).ToListAsync(cancellationToken))
            .Where(u => u.RoleSet.Contains(Role.Admin) || (u.RoleSet.Contains(Role.Supervisor) && (currentUser.TeamId is null || u.TeamId == currentUser.TeamId)));
        foreach (var approver in approvers)
        {
            await notifications.NotifyAsync(approver.Id, NotificationKinds.ApprovalRequested, [currentUser.DisplayName, summary], "/approvals",
                $"{NotificationKinds.ApprovalRequested}:{request.Id}:{approver.Id}", cancellationToken);
        }
        return request;
    }

    /// <summary>What waits for a decision (for Supervisors and Admins), oldest first.</summary>
    public async Task<IReadOnlyList<ApprovalRequest>> PendingAsync(CancellationToken cancellationToken = default)
    {
        if (!MayDecide(currentUser))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApprovalRequests.AsNoTracking().Where(a => a.Status == ApprovalStatus.Pending).OrderBy(a => a.CreatedAt).Take(200).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ApprovalRequest>> MineAsync(CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApprovalRequests.AsNoTracking().Where(a => a.RequestedById == me).OrderByDescending(a => a.CreatedAt).Take(50).ToListAsync(cancellationToken);
    }

    public async Task DecideAsync(Guid id, int version, bool approve, string? comment, CancellationToken cancellationToken = default)
    {
        if (!MayDecide(currentUser))
        {
            throw new AccessDeniedException("Error.ApprovalNotAllowed", "Only a supervisor or an Admin decides requests.");
        }
        if (!approve && string.IsNullOrWhiteSpace(comment))
        {
            throw new ValidationFailedException([new ValidationError(nameof(ApprovalRequest.Comment), "Validation.RejectionReason", "Say why the request is rejected.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.ApprovalRequests.SingleOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(ApprovalRequest), id);
        if (request.RequestedById == currentUser.UserId)
        {
            throw new AccessDeniedException("Error.ApprovalOwnRequest", "Someone else decides your own request.");
        }
        if (request.Status != ApprovalStatus.Pending)
        {
            throw new ConcurrencyConflictException(nameof(ApprovalRequest), id);
        }
        db.ExpectVersion(request, version);
        request.Status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        request.DecidedByName = currentUser.DisplayName;
        request.DecidedAt = time.GetUtcNow().UtcDateTime;
        request.Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        await db.SaveOrConflictAsync(request, cancellationToken);
        await notifications.NotifyAsync(request.RequestedById, approve ? NotificationKinds.ApprovalApproved : NotificationKinds.ApprovalRejected,
            [currentUser.DisplayName, request.Summary, request.Comment ?? ""], "/approvals", $"approval-decided:{request.Id}", cancellationToken);
    }

    /// <summary>Claims an approved request of mine to carry it out: true once, false ever after (or if not approved).</summary>
    public async Task<ApprovalRequest?> ClaimAsync(Guid id, string kind, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ClaimAsync(db, id, kind, me, time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>
    /// The claim inside the caller's transaction (a merge, a bulk delete): if the operation then fails, the
    /// claim rolls back with it and the approval can still be used.
    /// </summary>
    public static async Task<ApprovalRequest?> ClaimAsync(CrmDbContext db, Guid id, string kind, Guid requester, DateTime now, CancellationToken cancellationToken)
    {
        var claimed = await db.ApprovalRequests.Where(a => a.Id == id && a.Kind == kind && a.RequestedById == requester && a.Status == ApprovalStatus.Approved)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, ApprovalStatus.Completed).SetProperty(a => a.CompletedAt, now), cancellationToken);
        return claimed == 1 ? await db.ApprovalRequests.AsNoTracking().SingleAsync(a => a.Id == id, cancellationToken) : null;
    }

    private Guid Me() => currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
}
