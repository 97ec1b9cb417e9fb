using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Pipeline;

public sealed record OpportunityInput(Guid CustomerId, string? Name, long? AmountFen, DateOnly? ExpectedCloseOn, Guid? OwnerId);

/// <summary>What a move did: moved at once, or filed an approval and waits for it (SPEC A4).</summary>
public enum MoveOutcome
{
    Moved,
    AwaitingApproval,
}

/// <summary>
/// Opportunities (SPEC F2): created on customers the caller may see, numbered OP{yyyy}{nnnn}, moved with the version the
/// user saw (a stale move is a conflict), won, lost with a reason, reassigned by supervisors. A move past negotiation
/// above <see cref="PipelineOptions.ApprovalAmount"/> files an approval instead of moving (<see cref="OpportunityApprovalOutcome"/>
/// carries it out). Every change is told live to whoever may see the customer and to the owner.
/// </summary>
public sealed class OpportunityService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    NotificationService notifications,
    ApprovalService approvals,
    IOptions<PipelineOptions> options,
    CompanyClock clock)
{
    public async Task<Opportunity> CreateAsync(OpportunityInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customer = await db.VisibleCustomerAsync(currentUser, input.CustomerId, cancellationToken);
        var opportunity = await ValidNewAsync(db, customer.Id, input, cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await AddNewAsync(db, opportunity, customer, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return opportunity;
    }

    /// <summary>
    /// A new opportunity on <paramref name="customerId"/> (which the caller may see, or is creating in the same transaction),
    /// checked as the form is, not yet added. The owner must be able to see the customer; a customer still being created
    /// is checked by the caller.
    /// </summary>
    internal async Task<Opportunity> ValidNewAsync(CrmDbContext db, Guid customerId, OpportunityInput input, CancellationToken cancellationToken, bool customerIsNew = false)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Create);
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors.Add(new ValidationError(nameof(Opportunity.Name), "Validation.OpportunityNameRequired", "Name the opportunity."));
        }
        if (input.AmountFen is not { } amount || amount < 0)
        {
            errors.Add(new ValidationError(nameof(Opportunity.AmountFen), "Validation.OpportunityAmountRequired", "Give the expected amount (zero or more)."));
        }
        if (input.ExpectedCloseOn is null)
        {
            errors.Add(new ValidationError(nameof(Opportunity.ExpectedCloseOn), "Validation.OpportunityCloseRequired", "Give the expected close date."));
        }
        var ownerId = MayAssign ? input.OwnerId ?? currentUser.UserId : currentUser.UserId;
        if (ownerId is null || (!customerIsNew && !await db.UserMaySeeAsync(ownerId.Value, customerId, cancellationToken)))
        {
            errors.Add(new ValidationError(nameof(Opportunity.OwnerId), "Validation.OwnerRequired", "Choose an active owner who may see this customer."));
        }
        ValidationFailedException.ThrowIfAny(errors);
        return new Opportunity
        {
            Number = "",
            CustomerId = customerId,
            Name = input.Name!.Trim(),
            AmountFen = input.AmountFen!.Value,
            ExpectedCloseOn = input.ExpectedCloseOn!.Value,
            OwnerId = ownerId!.Value,
            Stage = OpportunityStage.InitialContact,
        };
    }

    /// <summary>Numbers and adds an opportunity from <see cref="ValidNewAsync"/> with its first history row, live event and the owner's notification; call inside the caller's transaction.</summary>
    internal async Task AddNewAsync(CrmDbContext db, Opportunity opportunity, Customer customer, CancellationToken cancellationToken)
    {
        var now = clock.UtcNow;
        var year = clock.Today.Year;
        opportunity.Number = $"OP{year}{await NumberSequences.NextAsync(db, $"opportunity:{year}", cancellationToken):0000}";
        opportunity.StageEnteredAt = now;
        opportunity.FurthestStage = opportunity.Stage;
        db.Opportunities.Add(opportunity);
        db.OpportunityStageChanges.Add(new OpportunityStageChange
        {
            OpportunityId = opportunity.Id, ToStage = opportunity.Stage, At = now, ById = currentUser.UserId, ByName = currentUser.DisplayName,
        });
        OpportunityChanged.Record(db, opportunity, customer, currentUser.UserId, currentUser.DisplayName);
        StageAssignedNotification(db, opportunity, customer);
    }

    /// <summary>
    /// Moves an opportunity on the board (Won included; Lost needs <see cref="LoseAsync"/>'s reason). Past negotiation
    /// above the approval amount it does not move: it files an approval and waits (<see cref="MoveOutcome.AwaitingApproval"/>).
    /// </summary>
    public async Task<MoveOutcome> MoveAsync(Guid id, int version, OpportunityStage to, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        if (to == OpportunityStage.Lost)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Opportunity.LostReason), "Validation.LostReasonRequired", "Say why the opportunity was lost.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (opportunity, customer) = await LoadForChangeAsync(db, id, version, cancellationToken);
        if (opportunity.Stage == to)
        {
            return MoveOutcome.Moved;
        }
        if (NeedsApproval(opportunity, to))
        {
            var plan = new OpportunityMovePlan(opportunity.Id, customer.Id, opportunity.Stage, to);
            var request = await approvals.StageRequestAsync(db, ApprovalSummary.OpportunityMove(opportunity.Number, opportunity.AmountFen, to), JsonSerializer.Serialize(plan), cancellationToken);
            opportunity.PendingApprovalId = request.Id;
            opportunity.PendingStage = to;
            opportunity.RejectionReason = null;
            OpportunityChanged.Record(db, opportunity, customer, currentUser.UserId, currentUser.DisplayName);
            await db.SaveOrConflictAsync(opportunity, cancellationToken);
            await db.PublishRecordedAsync(liveEvents, cancellationToken);
            return MoveOutcome.AwaitingApproval;
        }
        Enter(db, opportunity, to, clock.UtcNow, currentUser.UserId, currentUser.DisplayName);
        opportunity.RejectionReason = null;
        OpportunityChanged.Record(db, opportunity, customer, currentUser.UserId, currentUser.DisplayName);
        await db.SaveOrConflictAsync(opportunity, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return MoveOutcome.Moved;
    }

    public Task<MoveOutcome> WinAsync(Guid id, int version, CancellationToken cancellationToken = default) =>
        MoveAsync(id, version, OpportunityStage.Won, cancellationToken);

    /// <summary>Marks the opportunity lost, with a reason from the LostReason dictionary (SPEC F2).</summary>
    public async Task<Opportunity> LoseAsync(Guid id, int version, string? reason, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(reason)
            || !await db.DictionaryItems.AnyAsync(d => d.Kind == DictionaryKind.LostReason && d.Code == reason && d.IsActive, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Opportunity.LostReason), "Validation.LostReasonRequired", "Say why the opportunity was lost.")]);
        }
        var (opportunity, customer) = await LoadForChangeAsync(db, id, version, cancellationToken);
        Enter(db, opportunity, OpportunityStage.Lost, clock.UtcNow, currentUser.UserId, currentUser.DisplayName);
        opportunity.LostReason = reason;
        OpportunityChanged.Record(db, opportunity, customer, currentUser.UserId, currentUser.DisplayName);
        await db.SaveOrConflictAsync(opportunity, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return opportunity;
    }

    /// <summary>Gives the opportunity to another owner who may see its customer (supervisors and Admins); the new owner is told (SPEC D5).</summary>
    public async Task<Opportunity> ReassignAsync(Guid id, int version, Guid ownerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        if (!MayAssign)
        {
            throw new AccessDeniedException("Error.OpportunityAssignNotAllowed", "Only a supervisor or an Admin gives opportunities to others.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var opportunity = await db.Opportunities.SingleOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(Opportunity), id);
        var customer = await db.VisibleCustomerAsync(currentUser, opportunity.CustomerId, cancellationToken);
        db.ExpectVersion(opportunity, version);
        if (!await db.UserMaySeeAsync(ownerId, customer.Id, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Opportunity.OwnerId), "Validation.OwnerRequired", "Choose an active owner who may see this customer.")]);
        }
        if (opportunity.OwnerId == ownerId)
        {
            return opportunity;
        }
        var previousOwner = opportunity.OwnerId;
        opportunity.OwnerId = ownerId;
        // The previous owner's boards drop the card too.
        db.RecordLiveEvent(() => new OpportunityChanged(opportunity.Id, customer.Id, opportunity.Stage.ToString(), opportunity.Version, currentUser.UserId, currentUser.DisplayName)
        {
            Audience = [Audience.ForUser(previousOwner)],
        });
        OpportunityChanged.Record(db, opportunity, customer, currentUser.UserId, currentUser.DisplayName);
        StageAssignedNotification(db, opportunity, customer);
        await db.SaveOrConflictAsync(opportunity, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return opportunity;
    }

    /// <summary>The win probability per stage, Admin's where set, else the default.</summary>
    public async Task<IReadOnlyDictionary<OpportunityStage, int>> ProbabilitiesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await LoadProbabilitiesAsync(db, cancellationToken);
    }

    /// <summary>Admin sets a stage's win probability (0–100): the weighted amounts follow.</summary>
    public async Task SetProbabilityAsync(OpportunityStage stage, int percent, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Configure);
        if (percent is < 0 or > 100)
        {
            throw new ValidationFailedException([new ValidationError(nameof(StageProbability.Percent), "Validation.ProbabilityRange", "A probability is between 0 and 100 %.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.StageProbabilities.SingleOrDefaultAsync(p => p.Stage == stage, cancellationToken);
        if (row is null)
        {
            db.StageProbabilities.Add(new StageProbability { Stage = stage, Percent = percent });
        }
        else
        {
            row.Percent = percent;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static async Task<IReadOnlyDictionary<OpportunityStage, int>> LoadProbabilitiesAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var set = await db.StageProbabilities.AsNoTracking().ToDictionaryAsync(p => p.Stage, p => p.Percent, cancellationToken);
        return Enum.GetValues<OpportunityStage>().ToDictionary(s => s, s => set.TryGetValue(s, out var percent) ? percent : StageProbabilities.Default(s));
    }

    /// <summary>Enters <paramref name="to"/>: the stage, its start, the history row, and the close of a won or lost deal.</summary>
    internal static void Enter(CrmDbContext db, Opportunity opportunity, OpportunityStage to, DateTime now, Guid? byId, string? byName)
    {
        db.OpportunityStageChanges.Add(new OpportunityStageChange { OpportunityId = opportunity.Id, FromStage = opportunity.Stage, ToStage = to, At = now, ById = byId, ByName = byName });
        opportunity.Enter(to, now);
    }

    /// <summary>A move from negotiation or before to past it (contract, delivery, won), above the approval amount.</summary>
    private bool NeedsApproval(Opportunity opportunity, OpportunityStage to) =>
        !StageProbabilities.IsPastNegotiation(opportunity.Stage) && StageProbabilities.IsPastNegotiation(to) && opportunity.AmountFen > options.Value.ApprovalAmountFen;

    /// <summary>Supervisors and Admins give opportunities to others; a rep's are their own.</summary>
    public static bool MayAssignOthers(ICurrentUser user) => user.IsIn(Role.Admin) || user.IsIn(Role.Supervisor);

    private bool MayAssign => MayAssignOthers(currentUser);

    /// <summary>The opportunity, if the caller may see its customer, open and not waiting for an approval, at the version the user saw.</summary>
    private async Task<(Opportunity, Customer)> LoadForChangeAsync(CrmDbContext db, Guid id, int version, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.SingleOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(Opportunity), id);
        var customer = await db.VisibleCustomerAsync(currentUser, opportunity.CustomerId, cancellationToken);
        db.ExpectVersion(opportunity, version);
        if (opportunity.Version != version)
        {
            throw new ConcurrencyConflictException(nameof(Opportunity), id);
        }
        if (opportunity.IsClosed)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Opportunity.Stage), "Validation.OpportunityClosed", "This opportunity is won or lost.")]);
        }
        if (opportunity.PendingApprovalId is not null)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Opportunity.Stage), "Validation.OpportunityAwaitingApproval", "This opportunity waits for an approval; it moves once that is decided.")]);
        }
        return (opportunity, customer);
    }

    /// <summary>The new owner's notification, in the same transaction as the assignment.</summary>
    private void StageAssignedNotification(CrmDbContext db, Opportunity opportunity, Customer customer)
    {
        if (opportunity.OwnerId != currentUser.UserId)
        {
            notifications.Stage(db, opportunity.OwnerId, NotificationKinds.OpportunityAssigned, [currentUser.DisplayName, opportunity.Number, customer.Name],
                NotificationSubject.Opportunity(opportunity.Id), $"{NotificationKinds.OpportunityAssigned}:{opportunity.Id}:{opportunity.OwnerId}:{opportunity.Version}");
        }
    }
}
