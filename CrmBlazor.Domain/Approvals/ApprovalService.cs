using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Approvals;

/// <summary>A customer a request is about, as the reader may see it.</summary>
public sealed record ApprovalCustomer(Guid Id, string Number, string Name);

/// <summary>
/// A request as its reader sees it: the summary never names a customer (it reaches the approvers' bells too);
/// <see cref="Customers"/> lists those the request is about that the reader's record scope holds.
/// </summary>
public sealed record ApprovalItem(
    Guid Id, int Version, string Kind, ApprovalSummary Summary, Guid RequestedById, string RequestedByName, ApprovalStatus Status,
    string? DecidedByName, DateTime? DecidedAt, string? Comment, DateTime CreatedAt, IReadOnlyList<ApprovalCustomer> Customers);

/// <summary>
/// The approval queue (SPEC A4): anyone may ask; a Supervisor of the requester's team, or an Admin, other than
/// the requester approves or rejects (a rejection says why); the requester hears of it live; an approved
/// operation is claimed once, by its requester, through a conditional update. Every step is audited (the entity is).
/// </summary>
public sealed class ApprovalService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    NotificationService notifications,
    TimeProvider time,
    ILiveEvents liveEvents,
    IEnumerable<IApprovalOutcome> outcomes)
{
    /// <summary>How many of a request's customers its reader sees by name (the count is in the summary).</summary>
    public const int NamedCustomers = 5;

    public static bool MayDecide(ICurrentUser user) => user.IsIn(Role.Supervisor) || user.IsIn(Role.Admin);

    /// <summary>Whether <paramref name="approver"/> decides requests of <paramref name="requesterId"/>: an Admin any, a Supervisor those of the teams they supervise.</summary>
    public static async Task<bool> DecidesAsync(CrmDbContext db, ICurrentUser approver, Guid requesterId, CancellationToken cancellationToken) =>
        approver.IsSystem || approver.IsIn(Role.Admin) || await db.SupervisesAsync(approver, requesterId, cancellationToken);

    /// <param name="summary">What is asked (its kind is the request's), without naming any customer: it reaches every approver's bell.</param>
    public async Task<ApprovalRequest> RequestAsync(ApprovalSummary summary, string payload, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = NewRequest(summary, payload, me);
        db.ApprovalRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        // Those who may decide it hear of it: the supervisors of the requester's teams and every Admin.
        var supervisors = await db.SupervisorFlagHoldersOf(me).ToListAsync(cancellationToken);
        var approvers = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != me).ToListAsync(cancellationToken))
            .Where(u => u.RoleSet.Contains(Role.Admin) || (u.RoleSet.Contains(Role.Supervisor) && supervisors.Contains(u.Id)));
        foreach (var approver in approvers)
        {
            await notifications.NotifyAsync(approver.Id, NotificationKinds.ApprovalRequested, [currentUser.DisplayName, summary.Kind, .. summary.Facts], NotificationSubject.Approvals,
                $"{NotificationKinds.ApprovalRequested}:{request.Id}:{approver.Id}", cancellationToken);
        }
        return request;
    }

    /// <summary>
    /// Adds a request to the caller's next save, with the approvers' notifications: the operation that waits for it
    /// (an opportunity's move) and the request commit together or not at all.
    /// </summary>
    /// <param name="summary">What is asked (its kind is the request's), without naming any customer: it reaches every approver's bell.</param>
    public async Task<ApprovalRequest> StageRequestAsync(CrmDbContext db, ApprovalSummary summary, string payload, CancellationToken cancellationToken = default)
    {
        var me = Me();
        var request = NewRequest(summary, payload, me);
        db.ApprovalRequests.Add(request);
        var supervisors = await db.SupervisorFlagHoldersOf(me).ToListAsync(cancellationToken);
        var approvers = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != me).ToListAsync(cancellationToken))
            .Where(u => u.RoleSet.Contains(Role.Admin) || (u.RoleSet.Contains(Role.Supervisor) && supervisors.Contains(u.Id)));
        foreach (var approver in approvers)
        {
            notifications.Stage(db, approver.Id, NotificationKinds.ApprovalRequested, [currentUser.DisplayName, summary.Kind, .. summary.Facts], NotificationSubject.Approvals,
                $"{NotificationKinds.ApprovalRequested}:{request.Id}:{approver.Id}");
        }
        return request;
    }

    private ApprovalRequest NewRequest(ApprovalSummary summary, string payload, Guid me) => new()
    {
        Kind = summary.Kind, SummaryFacts = summary.FactsJson(), Payload = payload, RequestedById = me, RequestedByName = currentUser.DisplayName, Status = ApprovalStatus.Pending,
    };

    /// <summary>What waits for my decision (Supervisors: their team's requests; Admins: all), oldest first.</summary>
    public async Task<IReadOnlyList<ApprovalItem>> PendingAsync(CancellationToken cancellationToken = default)
    {
        if (!MayDecide(currentUser))
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = await DecidableBy(db, currentUser).AsNoTracking().Where(a => a.Status == ApprovalStatus.Pending)
            .OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Take(200).ToListAsync(cancellationToken);
        return await ItemsAsync(db, pending, cancellationToken);
    }

    public async Task<IReadOnlyList<ApprovalItem>> MineAsync(CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = await db.ApprovalRequests.AsNoTracking().Where(a => a.RequestedById == me).OrderByDescending(a => a.CreatedAt).Take(50).ToListAsync(cancellationToken);
        return await ItemsAsync(db, mine, cancellationToken);
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
        // Another team's request is not there for this supervisor, as it is not in their list.
        var request = await DecidableBy(db, currentUser).SingleOrDefaultAsync(a => a.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(ApprovalRequest), id);
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
        // A kind whose decision is itself the operation (an opportunity's move) is carried out, or dropped, in this save: once.
        if (outcomes.FirstOrDefault(o => o.Kind == request.Kind) is { } outcome)
        {
            await outcome.ApplyAsync(db, request, approve, cancellationToken);
        }
        await db.SaveOrConflictAsync(request, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        // The kind and its facts; a request stored with a sentence before there were facts is told with that sentence, as then.
        var summary = SummaryOf(request, CustomersOf(request).Count);
        string[] told = summary.StoredText is { } sentence
            ? [currentUser.DisplayName, sentence, request.Comment ?? ""]
            : [currentUser.DisplayName, request.Kind, request.Comment ?? "", .. summary.Facts];
        await notifications.NotifyAsync(request.RequestedById, approve ? NotificationKinds.ApprovalApproved : NotificationKinds.ApprovalRejected,
            told, NotificationSubject.Approvals, $"approval-decided:{request.Id}", cancellationToken);
    }

    /// <summary>The requests <paramref name="user"/> may decide (<see cref="DecidesAsync"/>), by the requester's teams as they are now.</summary>
    private static IQueryable<ApprovalRequest> DecidableBy(CrmDbContext db, ICurrentUser user)
    {
        if (user.IsSystem || user.IsIn(Role.Admin))
        {
            return db.ApprovalRequests;
        }
        if (user.IsIn(Role.Supervisor) && user.UserId is { } me)
        {
            return db.ApprovalRequests.Where(a => db.MembersSupervisedBy(me).Contains(a.RequestedById));
        }
        return db.ApprovalRequests.Where(_ => false);
    }

    /// <summary>The requests with their customers that the reader may see, in one scoped query.</summary>
    private async Task<IReadOnlyList<ApprovalItem>> ItemsAsync(CrmDbContext db, IReadOnlyList<ApprovalRequest> requests, CancellationToken cancellationToken)
    {
        var about = requests.ToDictionary(r => r.Id, r => CustomersOf(r));
        var ids = about.Values.SelectMany(v => v.Take(NamedCustomers)).Distinct().ToList();
        var visible = await db.Customers.AsNoTracking().VisibleTo(currentUser).Where(c => ids.Contains(c.Id))
            .Select(c => new ApprovalCustomer(c.Id, c.Number, c.Name)).ToDictionaryAsync(c => c.Id, cancellationToken);
        return requests.Select(r => new ApprovalItem(r.Id, r.Version, r.Kind, SummaryOf(r, about[r.Id].Count), r.RequestedById, r.RequestedByName, r.Status,
            r.DecidedByName, r.DecidedAt, r.Comment, r.CreatedAt, about[r.Id].Take(NamedCustomers).Where(visible.ContainsKey).Select(id => visible[id]).ToList())).ToList();
    }

    /// <summary>
    /// A merge's or bulk delete's summary is rebuilt from its kind and count, so that requests stored before
    /// summaries stopped naming customers (or were facts) do not name them either.
    /// </summary>
    private static ApprovalSummary SummaryOf(ApprovalRequest request, int customers) => request.Kind switch
    {
        ApprovalKinds.CustomerMerge => ApprovalSummary.Merge(),
        ApprovalKinds.CustomerBulkDelete => ApprovalSummary.BulkDelete(customers),
        _ => ApprovalSummary.Of(request.Kind, request.SummaryFacts, request.LegacySummary),
    };

    /// <summary>The customers a request is about, from its payload (a merge: merged, then survivor; a bulk delete: the chosen ones).</summary>
    private static List<Guid> CustomersOf(ApprovalRequest request)
    {
        try
        {
            return request.Kind switch
            {
                ApprovalKinds.CustomerMerge when JsonSerializer.Deserialize<DataQuality.MergePlan>(request.Payload) is { } plan => [plan.MergedId, plan.SurvivorId],
                ApprovalKinds.CustomerBulkDelete => JsonSerializer.Deserialize<List<Guid>>(request.Payload) ?? [],
                ApprovalKinds.OpportunityMove when JsonSerializer.Deserialize<Pipeline.OpportunityMovePlan>(request.Payload) is { } move => [move.CustomerId],
                _ => [],
            };
        }
        catch (JsonException)
        {
            return [];
        }
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
