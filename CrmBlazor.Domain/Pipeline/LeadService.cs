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

/// <summary>The lead form. Without <see cref="ToPool"/> the lead is the creator's; with it, it waits in <see cref="TeamId"/>'s pool (none: the company's).</summary>
public sealed record LeadInput
{
    public string? Company { get; init; }
    public string? ContactName { get; init; }
    public string? Mobile { get; init; }
    public string? Email { get; init; }
    public string? Source { get; init; }
    public string? Region { get; init; }
    public string? Notes { get; init; }
    public bool ToPool { get; init; }
    public Guid? TeamId { get; init; }
}

/// <summary>
/// Converting a qualified lead: into a new customer (named <see cref="CustomerName"/>, the lead's company by default), or onto
/// <see cref="AttachToCustomerId"/>, an existing customer the duplicate check offered; with the opportunity it opens.
/// </summary>
public sealed record LeadConversion(Guid? AttachToCustomerId, string? CustomerName, string? OpportunityName, long? AmountFen, DateOnly? ExpectedCloseOn);

/// <summary>What a conversion made: the customer (new or attached to) and the opportunity.</summary>
public sealed record LeadConversionResult(Guid CustomerId, string CustomerNumber, bool CustomerCreated, Guid OpportunityId, string OpportunityNumber);

/// <summary>
/// Leads (SPEC F1): created by hand (the creator's, or into a pool), claimed from a pool once however many reps click,
/// assigned by supervisors (through an approval when <see cref="PipelineOptions.LeadAssignmentNeedsApproval"/>), worked
/// from new to qualified, disqualified with a reason, and converted into a customer with its key contact and an
/// opportunity in one transaction, or attached to an existing customer the duplicate check found (<see cref="LeadQueries.MatchesAsync"/>).
/// </summary>
public sealed class LeadService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    NotificationService notifications,
    ApprovalService approvals,
    CustomerService customers,
    OpportunityService opportunities,
    IOptions<PipelineOptions> options,
    CompanyClock clock)
{
    public async Task<Lead> CreateAsync(LeadInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = new Lead { Number = "", Company = "", ContactName = "", Status = LeadStatus.New };
        var errors = new List<ValidationError>();
        await ApplyAsync(db, lead, input, errors, cancellationToken);
        if (input.ToPool)
        {
            if (input.TeamId is { } team && !await MayUsePoolAsync(db, team, cancellationToken))
            {
                errors.Add(new ValidationError(nameof(Lead.TeamId), "Validation.LeadPoolNotYours", "Choose a pool of a team you belong to."));
            }
            lead.TeamId = input.TeamId;
        }
        else
        {
            lead.OwnerId = currentUser.UserId ?? throw new AccessDeniedException("Error.OperationDenied", "Sign in to create leads.");
            lead.AssignedAt = clock.UtcNow;
        }
        ValidationFailedException.ThrowIfAny(errors);

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var year = clock.Today.Year;
            lead.Number = Lead.NumberOf(year, await NumberSequences.NextAsync(db, Lead.SequenceOf(year), cancellationToken));
            db.Leads.Add(lead);
            await LeadChanged.RecordAsync(db, lead, null, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return lead;
    }

    /// <summary>Saves the lead's details (not its owner or pool) if nobody saved it since <paramref name="version"/>.</summary>
    public async Task<Lead> UpdateAsync(Guid id, int version, LeadInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await LoadOpenAsync(db, id, version, cancellationToken);
        var errors = new List<ValidationError>();
        await ApplyAsync(db, lead, input, errors, cancellationToken);
        ValidationFailedException.ThrowIfAny(errors);
        return await SaveAsync(db, lead, lead.OwnerId, cancellationToken);
    }

    /// <summary>Works the lead: new → contacted → qualified (or back), by its owner or their supervisor.</summary>
    public async Task<Lead> SetStatusAsync(Guid id, int version, LeadStatus status, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        if (status is not (LeadStatus.New or LeadStatus.Contacted or LeadStatus.Qualified))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Lead.Status), "Validation.LeadStatusByAction", "Convert or disqualify the lead with their own actions.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await LoadOpenAsync(db, id, version, cancellationToken);
        RequireOwner(lead);
        lead.Status = status;
        return await SaveAsync(db, lead, lead.OwnerId, cancellationToken);
    }

    public async Task<Lead> DisqualifyAsync(Guid id, int version, string? reason, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Lead.DisqualifyReason), "Validation.DisqualifyReasonRequired", "Say why the lead is disqualified.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await LoadOpenAsync(db, id, version, cancellationToken);
        RequireOwner(lead);
        lead.Status = LeadStatus.Disqualified;
        lead.DisqualifyReason = reason.Trim();
        return await SaveAsync(db, lead, lead.OwnerId, cancellationToken);
    }

    /// <summary>
    /// Takes a lead from a pool the caller sees. Two reps clicking at once both read it unowned; the version check lets
    /// exactly one save, and the other is told who has it.
    /// </summary>
    public async Task<Lead> ClaimAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        var me = currentUser.UserId ?? throw new AccessDeniedException("Error.OperationDenied", "Sign in to claim leads.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await db.Leads.VisibleTo(currentUser).SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            // Taken by a colleague a moment ago from a pool I share: say who, not "out of scope".
            var fromMyPool = await db.Leads.AnyAsync(l => l.Id == id && l.OwnerId != null
                && (l.TeamId == null || l.Team!.Members.Any(m => m.UserId == me)), cancellationToken);
            throw fromMyPool ? await AlreadyClaimedAsync(id, cancellationToken) : await RefusalAsync(db, id, cancellationToken);
        }
        if (lead.OwnerId is not null || lead.PendingApprovalId is not null)
        {
            throw await AlreadyClaimedAsync(id, cancellationToken);
        }
        if (lead.IsClosed)
        {
            throw Closed();
        }
        if (!await db.Users.AnyAsync(u => u.Id == me && u.IsActive, cancellationToken)
            || !OwnerAssignment.MayOwnCustomers(await db.Users.AsNoTracking().SingleAsync(u => u.Id == me, cancellationToken)))
        {
            throw new AccessDeniedException("Error.LeadClaimNotAllowed", "Only sales reps and supervisors claim leads.");
        }
        lead.OwnerId = me;
        lead.AssignedAt = clock.UtcNow;
        try
        {
            return await SaveAsync(db, lead, null, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            throw await AlreadyClaimedAsync(id, cancellationToken);
        }
    }

    /// <summary>The owner puts the lead back into its pool for someone else to claim.</summary>
    public async Task<Lead> ReleaseAsync(Guid id, int version, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await LoadOpenAsync(db, id, version, cancellationToken);
        RequireOwner(lead);
        var previous = lead.OwnerId;
        lead.OwnerId = null;
        lead.AssignedAt = null;
        return await SaveAsync(db, lead, previous, cancellationToken);
    }

    /// <summary>
    /// A supervisor or Admin gives the lead to a rep they may assign. With <see cref="PipelineOptions.LeadAssignmentNeedsApproval"/>
    /// on it files an approval and waits (true); otherwise the rep has it at once and is told (false).
    /// </summary>
    public async Task<bool> AssignAsync(Guid id, int version, Guid ownerId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Edit);
        if (!MayAssign)
        {
            throw new AccessDeniedException("Error.LeadAssignNotAllowed", "Only a supervisor or an Admin gives leads to others.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await LoadOpenAsync(db, id, version, cancellationToken);
        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == ownerId, cancellationToken);
        if (owner is null || !OwnerAssignment.MayOwnCustomers(owner) || !await OwnerAssignment.MayAssignAsync(db, currentUser, ownerId, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Lead.OwnerId), "Validation.OwnerNotAssignable", "Choose an active user you may give customers to.")]);
        }
        if (lead.OwnerId == ownerId)
        {
            return false;
        }
        if (options.Value.LeadAssignmentNeedsApproval)
        {
            var plan = new LeadAssignmentPlan(lead.Id, ownerId, owner.DisplayName);
            var request = await approvals.StageRequestAsync(db, ApprovalSummary.LeadAssignment(lead.Number, owner.DisplayName), JsonSerializer.Serialize(plan), cancellationToken);
            lead.PendingApprovalId = request.Id;
            lead.PendingOwnerId = ownerId;
            await SaveAsync(db, lead, lead.OwnerId, cancellationToken);
            return true;
        }
        var previous = lead.OwnerId;
        GiveTo(lead, ownerId, clock.UtcNow);
        StageAssignedNotification(db, notifications, lead, ownerId, currentUser.DisplayName);
        await SaveAsync(db, lead, previous, cancellationToken);
        return false;
    }

    /// <summary>
    /// Converts a qualified lead in one transaction: a new customer with the lead's person as key contact (or, attached, the
    /// existing customer, with the person added unless already a contact), an opportunity owned by the lead's owner, and the
    /// lead marked converted with links to both. Nothing is written when any part is refused.
    /// </summary>
    public async Task<LeadConversionResult> ConvertAsync(Guid id, int version, LeadConversion conversion, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Create);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lead = await LoadOpenAsync(db, id, version, cancellationToken);
        RequireOwner(lead);
        if (lead.Status != LeadStatus.Qualified)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Lead.Status), "Validation.LeadNotQualified", "Qualify the lead before converting it.")]);
        }
        var person = new ContactInput(lead.ContactName, Mobile: lead.Mobile, Email: lead.Email);
        var opportunityInput = new OpportunityInput(Guid.Empty, conversion.OpportunityName, conversion.AmountFen, conversion.ExpectedCloseOn, lead.OwnerId);

        Customer customer;
        Opportunity opportunity;
        var created = conversion.AttachToCustomerId is null;
        if (conversion.AttachToCustomerId is { } existing)
        {
            customer = await db.VisibleCustomerAsync(currentUser, existing, cancellationToken);
            opportunity = await opportunities.ValidNewAsync(db, customer.Id, opportunityInput with { CustomerId = customer.Id }, cancellationToken);
        }
        else
        {
            var name = string.IsNullOrWhiteSpace(conversion.CustomerName) ? lead.Company : conversion.CustomerName;
            var input = new CustomerInput { Name = name, Province = lead.Region, Notes = lead.Notes, OwnerId = lead.OwnerId };
            customer = await customers.ValidNewAsync(db, input, person, cancellationToken);
            opportunity = await opportunities.ValidNewAsync(db, customer.Id, opportunityInput with { CustomerId = customer.Id }, cancellationToken, customerIsNew: true);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (created)
            {
                await customers.AddNewAsync(db, customer, cancellationToken);
                customer.Owner = await db.Users.Include(u => u.Memberships).SingleAsync(u => u.Id == customer.OwnerId, cancellationToken);
            }
            else
            {
                await customers.AddContactIfNewAsync(db, customer, person, cancellationToken);
            }
            opportunity.LeadCreatedAt = lead.CreatedAt;
            await opportunities.AddNewAsync(db, opportunity, customer, cancellationToken);
            lead.Status = LeadStatus.Converted;
            lead.ConvertedCustomerId = customer.Id;
            lead.ConvertedOpportunityId = opportunity.Id;
            lead.ConvertedAt = clock.UtcNow;
            await LeadChanged.RecordAsync(db, lead, lead.OwnerId, cancellationToken);
            await db.SaveOrConflictAsync(lead, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return new LeadConversionResult(customer.Id, customer.Number, created, opportunity.Id, opportunity.Number);
    }

    /// <summary>The assignment itself, here and in the approval's outcome.</summary>
    internal static void GiveTo(Lead lead, Guid ownerId, DateTime now)
    {
        lead.OwnerId = ownerId;
        lead.AssignedAt = now;
        lead.PendingApprovalId = null;
        lead.PendingOwnerId = null;
    }

    /// <summary>The new owner's notification (SPEC D5), in the same transaction as the assignment.</summary>
    internal static void StageAssignedNotification(CrmDbContext db, NotificationService notifications, Lead lead, Guid ownerId, string assignerName) =>
        notifications.Stage(db, ownerId, NotificationKinds.LeadAssigned, [assignerName, lead.Number, lead.Company],
            NotificationSubject.Leads, $"{NotificationKinds.LeadAssigned}:{lead.Id}:{ownerId}:{lead.Version}");

    /// <summary>Copies the form onto the lead, normalising the mobile and e-mail as contacts do; collects every problem.</summary>
    private static async Task ApplyAsync(CrmDbContext db, Lead lead, LeadInput input, List<ValidationError> errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.Company))
        {
            errors.Add(new ValidationError(nameof(Lead.Company), "Validation.LeadCompanyRequired", "Name the company."));
        }
        if (string.IsNullOrWhiteSpace(input.ContactName))
        {
            errors.Add(new ValidationError(nameof(Lead.ContactName), "Validation.ContactNameRequired", "The contact needs a name."));
        }
        var mobile = ContactRules.NormalizeMobile(input.Mobile, nameof(Lead.Mobile), errors);
        var email = ContactRules.NormalizeEmail(input.Email, nameof(Lead.Email), errors);
        if (string.IsNullOrWhiteSpace(input.Mobile) && string.IsNullOrWhiteSpace(input.Email))
        {
            errors.Add(new ValidationError(nameof(Lead.Mobile), "Validation.LeadReachRequired", "Give a mobile or an e-mail to reach the contact."));
        }
        await DictionaryChoices.CheckAsync(db, DictionaryKind.LeadSource, lead.Source, input.Source, nameof(Lead.Source), errors, cancellationToken);
        await DictionaryChoices.CheckAsync(db, DictionaryKind.Region, lead.Region, input.Region, nameof(Lead.Region), errors, cancellationToken);
        lead.Company = input.Company?.Trim() ?? "";
        lead.ContactName = input.ContactName?.Trim() ?? "";
        lead.Mobile = mobile;
        lead.Email = email;
        lead.Source = Blank(input.Source);
        lead.Region = Blank(input.Region);
        lead.Notes = Blank(input.Notes);
    }

    /// <summary>A team's pool is open to its members (and an Admin's to any team).</summary>
    private async Task<bool> MayUsePoolAsync(CrmDbContext db, Guid teamId, CancellationToken cancellationToken) =>
        currentUser.IsSystem || currentUser.IsIn(Role.Admin)
        || await db.TeamMemberships.AnyAsync(m => m.TeamId == teamId && m.UserId == currentUser.UserId, cancellationToken);

    private async Task<Lead> LoadOpenAsync(CrmDbContext db, Guid id, int version, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.VisibleTo(currentUser).SingleOrDefaultAsync(l => l.Id == id, cancellationToken)
            ?? throw await RefusalAsync(db, id, cancellationToken);
        if (lead.Version != version)
        {
            throw new ConcurrencyConflictException(nameof(Lead), id);
        }
        db.ExpectVersion(lead, version);
        if (lead.IsClosed)
        {
            throw Closed();
        }
        if (lead.PendingApprovalId is not null)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Lead.OwnerId), "Validation.LeadAwaitingApproval", "This lead's assignment waits for an approval.")]);
        }
        return lead;
    }

    /// <summary>Working a lead is for its owner, or a supervisor or Admin who sees it; a pool lead is claimed first.</summary>
    private void RequireOwner(Lead lead)
    {
        if (lead.OwnerId is null)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Lead.OwnerId), "Validation.LeadClaimFirst", "Claim the lead from the pool first.")]);
        }
        if (lead.OwnerId != currentUser.UserId && !MayAssign)
        {
            throw new AccessDeniedException("Error.LeadNotYours", "This lead is someone else's.");
        }
    }

    private async Task<Lead> SaveAsync(CrmDbContext db, Lead lead, Guid? previousOwnerId, CancellationToken cancellationToken)
    {
        await LeadChanged.RecordAsync(db, lead, previousOwnerId, cancellationToken);
        await db.SaveOrConflictAsync(lead, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return lead;
    }

    private async Task<CrmException> AlreadyClaimedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owner = await fresh.Leads.Where(l => l.Id == id).Select(l => l.Owner!.DisplayName).SingleOrDefaultAsync(cancellationToken);
        return new ValidationFailedException([new ValidationError(nameof(Lead.OwnerId), "Validation.LeadAlreadyClaimed",
            $"{owner ?? "Someone"} has already taken this lead.", owner ?? "—")]);
    }

    private static async Task<CrmException> RefusalAsync(CrmDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Leads.AnyAsync(l => l.Id == id, cancellationToken)
            ? new AccessDeniedException("Error.LeadOutOfScope", "This lead belongs to someone else.")
            : new NotFoundException(nameof(Lead), id);

    private static ValidationFailedException Closed() =>
        new([new ValidationError(nameof(Lead.Status), "Validation.LeadClosed", "This lead is converted or disqualified.")]);

    /// <summary>Supervisors and Admins give leads to others and work their team's leads; a rep claims from the pool.</summary>
    public static bool MayAssignOthers(ICurrentUser user) => user.IsIn(Role.Admin) || user.IsIn(Role.Supervisor);

    private bool MayAssign => MayAssignOthers(currentUser);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
