using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.WorkingTime;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Demands;

public sealed record DemandInput(Guid CustomerId, string? Description, string? Type, DemandPriority Priority, Guid? OwnerId);

public sealed record TaskInput(string? Name, Guid? OwnerId, DateTime? PlannedAt);

/// <summary>
/// Demands and their tasks (SPEC D1–D3, D5): created on customers the caller may see, numbered once,
/// moved with the version the user saw (a stale move is a conflict), closed only with the customer's
/// confirmation on file. Every change is told live to whoever may see the customer; an assignment
/// to someone else notifies them.
/// </summary>
public sealed class DemandService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    NotificationService notifications,
    Uploads.UploadedFiles uploadedFiles,
    CompanyClock clock,
    Uploads.UploadLimiter uploads)
{
    public async Task<Demand> CreateAsync(DemandInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, input.CustomerId, cancellationToken);
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(input.Description))
        {
            errors.Add(new ValidationError(nameof(Demand.Description), "Validation.DemandDescriptionRequired", "Describe what the customer needs."));
        }
        if (string.IsNullOrWhiteSpace(input.Type) || !await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKind.DemandType && d.Code == input.Type && d.IsActive, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Demand.Type), "Validation.DemandTypeRequired", "Choose whether the demand is existing or potential."));
        }
        var ownerId = MayAssign ? input.OwnerId ?? currentUser.UserId : currentUser.UserId;
        if (ownerId is null || !await db.UserMaySeeAsync(ownerId.Value, customer.Id, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(Demand.OwnerId), "Validation.OwnerRequired", "Choose an active owner who may see this customer."));
        }
        ValidationFailedException.ThrowIfAny(errors);

        var now = clock.UtcNow;
        var calendar = await WorkingCalendarService.LoadAsync(db, clock.Zone, cancellationToken);
        var demand = new Demand
        {
            Number = "",
            CustomerId = customer.Id,
            Description = input.Description!.Trim(),
            Type = input.Type!,
            Priority = input.Priority,
            Status = DemandStatus.Open,
            OwnerId = ownerId!.Value,
            ResponseDueAt = calendar.ResponseDeadline(input.Priority, now),
        };
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var year = clock.Today.Year;
            demand.Number = $"DE{year}{await NumberSequences.NextAsync(db, $"demand:{year}", cancellationToken):0000}";
            db.Demands.Add(demand);
            RecordChange(db, demand, customer);
            StageAssignedNotification(db, demand, customer);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return demand;
    }

    /// <summary>Moves a demand on the board. Done is reached only through <see cref="CloseAsync"/>; leaving Open is the response.</summary>
    public async Task<Demand> MoveAsync(Guid id, int version, DemandStatus to, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.Edit);
        if (to == DemandStatus.Done)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Demand.Status), "Validation.ClosureNeedsEvidence", "Closing a demand needs the customer's confirmation: attach it in the closure dialog.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (demand, customer) = await LoadForChangeAsync(db, id, version, q => q, cancellationToken);
        if (demand.Status == DemandStatus.Done)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Demand.Status), "Validation.DemandClosed", "This demand is closed.")]);
        }
        if (demand.Status == to)
        {
            return demand;
        }
        demand.Status = to;
        demand.RespondedAt ??= to == DemandStatus.Open ? null : clock.UtcNow;
        RecordChange(db, demand, customer);
        await db.SaveOrConflictAsync(demand, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return demand;
    }

    public async Task<Demand> AssignAsync(Guid id, int version, Guid ownerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (demand, customer) = await LoadForChangeAsync(db, id, version, q => q, cancellationToken);
        if (!MayAssign && ownerId != currentUser.UserId)
        {
            throw new AccessDeniedException("Error.AssignNotAllowed", "Only a supervisor, the service desk or an Admin gives demands to others.");
        }
        if (!await db.UserMaySeeAsync(ownerId, customer.Id, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Demand.OwnerId), "Validation.OwnerRequired", "Choose an active owner who may see this customer.")]);
        }
        if (demand.OwnerId == ownerId)
        {
            return demand;
        }
        demand.OwnerId = ownerId;
        RecordChange(db, demand, customer);
        StageAssignedNotification(db, demand, customer);
        await db.SaveOrConflictAsync(demand, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return demand;
    }

    /// <summary>
    /// Closes the demand with the customer's confirmation (SPEC D3): at least one file, each checked; nothing is kept if any
    /// is refused. One upload against the user's <see cref="Uploads.UploadLimiter"/>, however many files it carries.
    /// </summary>
    public async Task<Demand> CloseAsync(Guid id, int version, IReadOnlyList<Uploads.FileUpload> files, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.Edit);
        if (files.Count == 0)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Demand.Evidence), "Validation.EvidenceRequired", "Attach the customer's confirmation (signed scan, e-mail or screenshot) to close the demand.")]);
        }
        uploadedFiles.CheckCount(files.Count, nameof(Demand.Evidence));
        uploads.Take(currentUser);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (demand, customer) = await LoadForChangeAsync(db, id, version, q => q, cancellationToken);
        if (demand.Status == DemandStatus.Done)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Demand.Status), "Validation.DemandClosed", "This demand is closed.")]);
        }

        var saved = await uploadedFiles.SaveAllAsync(files, nameof(Demand.Evidence), cancellationToken);
        try
        {
            var now = clock.UtcNow;
            foreach (var file in saved)
            {
                db.DemandEvidence.Add(new DemandEvidence
                {
                    DemandId = demand.Id, FileName = file.FileName, StoredName = file.StoredName, ContentType = file.ContentType, Size = file.Size,
                    UploadedAt = now, UploadedByName = currentUser.DisplayName,
                });
            }
            demand.Status = DemandStatus.Done;
            demand.RespondedAt ??= now;
            demand.ClosedAt = now;
            demand.ClosedByName = currentUser.DisplayName;
            RecordChange(db, demand, customer);
            await db.SaveOrConflictAsync(demand, cancellationToken);
        }
        catch
        {
            uploadedFiles.DeleteStored(saved.Select(f => f.StoredName));
            throw;
        }
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return demand;
    }

    public async Task<DemandTask> AddTaskAsync(Guid demandId, TaskInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var demand = await db.Demands.SingleOrDefaultAsync(d => d.Id == demandId, cancellationToken) ?? throw new NotFoundException(nameof(Demand), demandId);
        var customer = await db.VisibleCustomerAsync(currentUser, demand.CustomerId, cancellationToken);
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new ValidationError(nameof(DemandTask.Name), "Validation.TaskNameRequired", "Name the task."));
        }
        if (input.OwnerId is null || !await db.UserMaySeeAsync(input.OwnerId.Value, customer.Id, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(DemandTask.OwnerId), "Validation.OwnerRequired", "Choose an active owner who may see this customer."));
        }
        if (input.PlannedAt is null)
        {
            errors.Add(new ValidationError(nameof(DemandTask.PlannedAt), "Validation.TaskPlannedRequired", "Say when the task is planned to be done."));
        }
        ValidationFailedException.ThrowIfAny(errors);
        var task = new DemandTask { DemandId = demand.Id, Name = input.Name!.Trim(), OwnerId = input.OwnerId!.Value, PlannedAt = clock.ToUtc(input.PlannedAt!.Value), Status = DemandTaskStatus.ToDo };
        db.DemandTasks.Add(task);
        RecordChange(db, demand, customer);
        if (task.OwnerId != currentUser.UserId)
        {
            notifications.Stage(db, task.OwnerId, NotificationKinds.TaskAssigned, [currentUser.DisplayName, task.Name, demand.Number],
                NotificationSubject.Demand(demand.Id), $"{NotificationKinds.TaskAssigned}:{task.Id}:{task.OwnerId}");
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return task;
    }

    /// <summary>
    /// Moves a task (SPEC D2). Delayed needs a reason and a new planned date, kept in the task's history;
    /// done records when.
    /// </summary>
    public async Task<DemandTask> MoveTaskAsync(Guid taskId, int version, DemandTaskStatus to, string? delayReason = null, DateTime? newPlannedAt = null, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Demands, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var task = await db.DemandTasks.SingleOrDefaultAsync(t => t.Id == taskId, cancellationToken) ?? throw new NotFoundException(nameof(DemandTask), taskId);
        var demand = await db.Demands.SingleAsync(d => d.Id == task.DemandId, cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, demand.CustomerId, cancellationToken);
        if (to == DemandTaskStatus.Delayed)
        {
            var errors = new List<ValidationError>();
            if (string.IsNullOrWhiteSpace(delayReason))
            {
                errors.Add(new ValidationError("DelayReason", "Validation.DelayReasonRequired", "Say why the task is delayed."));
            }
            if (newPlannedAt is null)
            {
                errors.Add(new ValidationError("NewPlannedAt", "Validation.DelayDateRequired", "Give the new planned date."));
            }
            else if (clock.ToUtc(newPlannedAt.Value) <= task.PlannedAt)
            {
                errors.Add(new ValidationError("NewPlannedAt", "Validation.DelayDateLater", "The new planned date must be later than the old one."));
            }
            ValidationFailedException.ThrowIfAny(errors);
        }
        db.ExpectVersion(task, version);
        if (to == DemandTaskStatus.Delayed)
        {
            var newPlan = clock.ToUtc(newPlannedAt!.Value);
            db.DemandTaskDelays.Add(new DemandTaskDelay
            {
                TaskId = task.Id, Reason = delayReason!.Trim(), OldPlannedAt = task.PlannedAt, NewPlannedAt = newPlan,
                At = clock.UtcNow, ByName = currentUser.DisplayName,
            });
            task.PlannedAt = newPlan;
        }
        task.Status = to;
        task.DoneAt = to == DemandTaskStatus.Done ? clock.UtcNow : null;
        RecordChange(db, demand, customer);
        await db.SaveOrConflictAsync(task, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return task;
    }

    /// <summary>Supervisors, Admins and the service desk route demands to others; a rep's demands are their own.</summary>
    public static bool MayAssignOthers(ICurrentUser user) => user.IsIn(Role.Admin) || user.IsIn(Role.Supervisor) || user.IsIn(Role.CustomerService);

    private bool MayAssign => MayAssignOthers(currentUser);

    private async Task<(Demand, Customer)> LoadForChangeAsync(CrmDbContext db, Guid id, int version, Func<IQueryable<Demand>, IQueryable<Demand>> include, CancellationToken cancellationToken)
    {
        var demand = await include(db.Demands).SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(Demand), id);
        var customer = await db.VisibleCustomerAsync(currentUser, demand.CustomerId, cancellationToken);
        db.ExpectVersion(demand, version);
        return (demand, customer);
    }

    /// <summary>Records the board's event with this save; built as the save goes out, so it carries the saved version.</summary>
    private void RecordChange(CrmDbContext db, Demand demand, Customer customer)
    {
        var (byId, byName) = (currentUser.UserId, currentUser.DisplayName);
        db.RecordLiveEvent(() => new DemandChanged(demand.Id, customer.Id, demand.Version, byId, byName)
        {
            Audience = [.. RecordScope.AudienceOf(customer), .. new[] { Audience.ForUser(demand.OwnerId) }],
        });
    }

    /// <summary>The new owner's notification, in the same transaction as the assignment: it survives a crash after the commit.</summary>
    private void StageAssignedNotification(CrmDbContext db, Demand demand, Customer customer)
    {
        if (demand.OwnerId != currentUser.UserId)
        {
            notifications.Stage(db, demand.OwnerId, NotificationKinds.DemandAssigned, [currentUser.DisplayName, demand.Number, customer.Name],
                NotificationSubject.Demand(demand.Id), $"{NotificationKinds.DemandAssigned}:{demand.Id}:{demand.OwnerId}:{demand.Version}");
        }
    }
}
