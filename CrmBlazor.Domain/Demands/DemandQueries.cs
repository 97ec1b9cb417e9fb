using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Demands;

/// <summary>What the boards filter by (SPEC D4); every part optional.</summary>
public sealed record DemandBoardFilter
{
    public Guid? OwnerId { get; init; }
    public DemandPriority? Priority { get; init; }
    public Guid? CustomerId { get; init; }

    /// <summary>Only demands whose response deadline (or tasks whose plan) falls before this moment.</summary>
    public DateTime? DueBefore { get; init; }
}

/// <summary>What a list of demands (the API's) filters by: done ones included; every part optional.</summary>
public sealed record DemandListFilter
{
    /// <summary>Any of these statuses; empty is every status.</summary>
    public IReadOnlyList<DemandStatus> Statuses { get; init; } = [];
    public Guid? CustomerId { get; init; }
    public Guid? OwnerId { get; init; }
    public DemandPriority? Priority { get; init; }

    /// <summary>Part of the demand's number, its description or its customer's name.</summary>
    public string? Search { get; init; }
}

public sealed record DemandCard(
    Guid Id, int Version, string Number, Guid CustomerId, string CustomerName, string Description, DemandPriority Priority,
    DemandStatus Status, Guid OwnerId, string OwnerName, DateTime ResponseDueAt, DateTime? RespondedAt, int Tasks, int TasksDone)
{
    /// <summary>Still waiting for a response after its deadline.</summary>
    public bool IsBreached(DateTime now) => Status == DemandStatus.Open && ResponseDueAt <= now;
}

public sealed record TaskCard(
    Guid Id, int Version, string Name, Guid DemandId, string DemandNumber, string CustomerName, Guid OwnerId, string OwnerName,
    DateTime PlannedAt, DemandTaskStatus Status)
{
    public bool IsLate(DateTime now) => Status != DemandTaskStatus.Done && PlannedAt <= now;
}

public sealed record TaskDetail(DemandTask Task, string OwnerName);

public sealed record DemandDetail(Demand Demand, string CustomerName, string CustomerNumber, string OwnerName, IReadOnlyList<TaskDetail> Tasks, bool CanEdit);

/// <summary>Reads demands and tasks within the caller's record scope: both boards, the demand page, evidence files.</summary>
public sealed class DemandQueries(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, Uploads.UploadedFiles uploadedFiles, AuditLog auditLog, TimeProvider time, SharedReads sharedReads)
{
    /// <summary>Done demands stay on the board this long after closing, then only their pages and the timeline show them.</summary>
    public static readonly TimeSpan DoneVisibleFor = TimeSpan.FromDays(30);

    /// <summary>
    /// The demand board's cards. With <paramref name="afterEvent"/> (a board answering a live event), boards of the same
    /// scope and filter answering the same event share one read (<see cref="SharedReads"/>).
    /// </summary>
    public async Task<IReadOnlyList<DemandCard>> BoardAsync(DemandBoardFilter filter, Guid? afterEvent = null, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.View);
        return await sharedReads.ReadAsync(afterEvent, currentUser, ("demand-board", filter), ct => ReadBoardAsync(filter, ct), cancellationToken);
    }

    private async Task<IReadOnlyList<DemandCard>> ReadBoardAsync(DemandBoardFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var doneSince = time.GetUtcNow().UtcDateTime - DoneVisibleFor;
        var demands = Visible(db).Where(d => d.Status != DemandStatus.Done || d.ClosedAt >= doneSince);
        demands = Narrowed(demands, filter.OwnerId, filter.Priority, filter.CustomerId);
        if (filter.DueBefore is { } due)
        {
            demands = demands.Where(d => d.Status == DemandStatus.Open && d.ResponseDueAt <= due);
        }
        return sharedReads.SameRows(await Cards(db, demands, newestFirst: false).Take(500).ToListAsync(cancellationToken),
            c => c.Number.Length + c.CustomerName.Length + c.Description.Length + c.OwnerName.Length);
    }

    /// <summary>
    /// One page (from 0) of the demands within the caller's scope, closed ones included, newest first: what the API lists.
    /// <paramref name="pageSize"/> is capped at 200.
    /// </summary>
    public async Task<PagedResult<DemandCard>> ListAsync(DemandListFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.View);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var open = await db.Database.KeepOpenAsync(cancellationToken);
        var demands = Narrowed(Visible(db), filter.OwnerId, filter.Priority, filter.CustomerId);
        if (filter.Statuses.Count > 0)
        {
            var statuses = filter.Statuses.Distinct().ToList();
            demands = demands.Where(d => statuses.Contains(d.Status));
        }
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            demands = demands.Where(d => d.Number.Contains(term) || d.Description.Contains(term)
                || db.Customers.Any(c => c.Id == d.CustomerId && c.Name.Contains(term)));
        }
        var total = await demands.CountAsync(cancellationToken);
        var items = await Cards(db, demands, newestFirst: true).Skip(Math.Max(page, 0) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<DemandCard>(items, total);
    }

    /// <summary>The task board's cards; <paramref name="afterEvent"/> as for <see cref="BoardAsync"/>.</summary>
    public async Task<IReadOnlyList<TaskCard>> TaskBoardAsync(DemandBoardFilter filter, Guid? afterEvent = null, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.View);
        return await sharedReads.ReadAsync(afterEvent, currentUser, ("task-board", filter), ct => ReadTaskBoardAsync(filter, ct), cancellationToken);
    }

    private async Task<IReadOnlyList<TaskCard>> ReadTaskBoardAsync(DemandBoardFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var doneSince = time.GetUtcNow().UtcDateTime - DoneVisibleFor;
        var tasks =
            from t in db.DemandTasks
            join d in Visible(db) on t.DemandId equals d.Id
            join c in db.Customers on d.CustomerId equals c.Id
            join u in db.Users on t.OwnerId equals u.Id
            where t.Status != DemandTaskStatus.Done || t.DoneAt >= doneSince
            select new { t, d, c, u };
        if (filter.OwnerId is { } owner)
        {
            tasks = tasks.Where(x => x.t.OwnerId == owner);
        }
        if (filter.Priority is { } priority)
        {
            tasks = tasks.Where(x => x.d.Priority == priority);
        }
        if (filter.CustomerId is { } customer)
        {
            tasks = tasks.Where(x => x.d.CustomerId == customer);
        }
        if (filter.DueBefore is { } due)
        {
            tasks = tasks.Where(x => x.t.Status != DemandTaskStatus.Done && x.t.PlannedAt <= due);
        }
        return sharedReads.SameRows(await tasks.OrderBy(x => x.t.PlannedAt).ThenBy(x => x.t.Id)
            .Select(x => new TaskCard(x.t.Id, x.t.Version, x.t.Name, x.d.Id, x.d.Number, x.c.Name, x.u.Id, x.u.DisplayName, x.t.PlannedAt, x.t.Status))
            .Take(500).ToListAsync(cancellationToken), t => t.Name.Length + t.DemandNumber.Length + t.CustomerName.Length + t.OwnerName.Length);
    }

    public async Task<DemandDetail> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var demand = await db.Demands.AsNoTracking().Include(d => d.Evidence).Include(d => d.Tasks).ThenInclude(t => t.Delays)
            .SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(Demand), id);
        var customer = await db.Customers.VisibleTo(currentUser).AsNoTracking().SingleOrDefaultAsync(c => c.Id == demand.CustomerId, cancellationToken)
            ?? throw await RecordScope.RefusalAsync(db.Customers, demand.CustomerId, cancellationToken);
        var userIds = demand.Tasks.Select(t => t.OwnerId).Append(demand.OwnerId).Distinct().ToList();
        var names = await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        demand.Tasks = [.. demand.Tasks.OrderBy(t => t.PlannedAt).ThenBy(t => t.Id)];
        demand.Evidence = [.. demand.Evidence.OrderBy(e => e.UploadedAt).ThenBy(e => e.FileName)];
        foreach (var task in demand.Tasks)
        {
            task.Delays = [.. task.Delays.OrderBy(d => d.At)];
        }
        return new DemandDetail(demand, customer.Name, customer.Number, names.GetValueOrDefault(demand.OwnerId, ""),
            demand.Tasks.Select(t => new TaskDetail(t, names.GetValueOrDefault(t.OwnerId, ""))).ToList(),
            permissions.IsAllowed(currentUser, Module.Demands, Operation.Edit));
    }

    /// <summary>An evidence file, for a user who may see its customer (the download is audited); anyone else gets a refusal or not-found.</summary>
    public async Task<(DemandEvidence Evidence, Stream Content)> OpenEvidenceAsync(Guid evidenceId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var evidence = await (
            from e in db.DemandEvidence
            join d in Visible(db) on e.DemandId equals d.Id
            where e.Id == evidenceId
            select e).AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(nameof(DemandEvidence), evidenceId);
        var content = uploadedFiles.Open(evidence.StoredName);
        try
        {
            await auditLog.RecordAsync(AuditAction.Download, nameof(DemandEvidence), evidence.Id.ToString(), currentUser.UserId, currentUser.DisplayName, cancellationToken);
        }
        catch
        {
            await content.DisposeAsync();
            throw;
        }
        return (evidence, content);
    }

    private IQueryable<Demand> Visible(CrmDbContext db) =>
        db.Demands.Where(d => db.Customers.VisibleTo(currentUser).Any(c => c.Id == d.CustomerId));

    private static IQueryable<Demand> Narrowed(IQueryable<Demand> demands, Guid? ownerId, DemandPriority? priority, Guid? customerId)
    {
        if (ownerId is { } owner)
        {
            demands = demands.Where(d => d.OwnerId == owner);
        }
        if (priority is { } p)
        {
            demands = demands.Where(d => d.Priority == p);
        }
        if (customerId is { } customer)
        {
            demands = demands.Where(d => d.CustomerId == customer);
        }
        return demands;
    }

    /// <summary>The cards of <paramref name="demands"/>: by response deadline (the board's order) or newest first (a list's).</summary>
    private static IQueryable<DemandCard> Cards(CrmDbContext db, IQueryable<Demand> demands, bool newestFirst)
    {
        var rows =
            from d in demands
            join c in db.Customers on d.CustomerId equals c.Id
            join u in db.Users on d.OwnerId equals u.Id
            select new { d, c, u };
        rows = newestFirst
            ? rows.OrderByDescending(x => x.d.CreatedAt).ThenByDescending(x => x.d.Id)
            : rows.OrderBy(x => x.d.ResponseDueAt).ThenBy(x => x.d.Id);
        return rows.Select(x => new DemandCard(x.d.Id, x.d.Version, x.d.Number, x.c.Id, x.c.Name, x.d.Description, x.d.Priority, x.d.Status, x.u.Id, x.u.DisplayName,
            x.d.ResponseDueAt, x.d.RespondedAt, x.d.Tasks.Count, x.d.Tasks.Count(t => t.Status == DemandTaskStatus.Done)));
    }
}

/// <summary>Demands on the customer's timeline: raised (with priority and deadline), closed, and their tasks done or delayed.</summary>
public sealed class DemandTimelineSource : ITimelineSource
{
    public const string Raised = "demand-raised";
    public const string Closed = "demand-closed";
    public const string TaskDone = "task-done";
    public const string TaskDelayed = "task-delayed";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var demands = await db.Demands.AsNoTracking().Where(d => d.CustomerId == customer.Id)
            .OrderByDescending(d => d.CreatedAt).Take(100).Include(d => d.Tasks).ThenInclude(t => t.Delays).ToListAsync(cancellationToken);
        var entries = new List<TimelineEntry>();
        foreach (var demand in demands)
        {
            entries.Add(new TimelineEntry(demand.CreatedAt, Raised, null, [demand.Number, demand.Priority.ToString()], demand.Description));
            if (demand.ClosedAt is { } closed)
            {
                entries.Add(new TimelineEntry(closed, Closed, demand.ClosedByName, [demand.Number], null));
            }
            foreach (var task in demand.Tasks)
            {
                if (task.DoneAt is { } done)
                {
                    entries.Add(new TimelineEntry(done, TaskDone, null, [demand.Number, task.Name], null));
                }
                entries.AddRange(task.Delays.Select(d => new TimelineEntry(d.At, TaskDelayed, d.ByName, [demand.Number, task.Name], d.Reason)));
            }
        }
        return entries;
    }
}
