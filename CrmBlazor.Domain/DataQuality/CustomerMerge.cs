using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.DataQuality;

/// <summary>The fields a merge may take from the merged customer instead of the survivor.</summary>
public enum MergeField
{
    Name,
    Industry,
    Size,
    Status,
    Province,
    City,
    District,
    Street,
    Website,
    CooperationHistory,
    Notes,
    Owner,
}

/// <summary>What the requester chose: who survives, who is merged into it, and which fields come from the merged one.</summary>
public sealed record MergePlan(Guid SurvivorId, Guid MergedId, IReadOnlyList<MergeField> TakeFromMerged);

/// <summary>Both sides of a merge as the wizard shows them, with how many records would move.</summary>
public sealed record MergeSide(Customer Customer, string? OwnerName, int Contacts, int Interactions, int Demands, int Orders, int Tags);

/// <summary>
/// Merging a duplicate into the customer that stays (SPEC H4): the requester picks the survivor and, field by
/// field, which value stays; a Supervisor or Admin approves (SPEC A4); the requester then carries it out once.
/// Contacts, interactions and to-dos, demands, orders, opportunities (with their stage history), status and tier history, tags and custom values move to
/// the survivor in one transaction; the merged customer's number (and old links) keep resolving to it through
/// <see cref="CustomerAlias"/>. Audited as one Merge entry naming both and what moved.
/// </summary>
public sealed class CustomerMerge(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ApprovalService approvals,
    AuditLog audit,
    ILiveEvents liveEvents,
    TimeProvider time)
{
    public async Task<(MergeSide First, MergeSide Second)> CompareAsync(Guid first, Guid second, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return (await SideAsync(db, first, cancellationToken), await SideAsync(db, second, cancellationToken));
    }

    /// <summary>Asks for the merge; nothing changes until a Supervisor or Admin approves and the requester runs it.</summary>
    public async Task<ApprovalRequest> RequestAsync(MergePlan plan, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        if (plan.SurvivorId == plan.MergedId)
        {
            throw new ValidationFailedException([new ValidationError(nameof(MergePlan.MergedId), "Validation.MergeSame", "A customer cannot be merged into itself.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var survivor = await db.VisibleCustomerAsync(currentUser, plan.SurvivorId, cancellationToken);
        var merged = await db.VisibleCustomerAsync(currentUser, plan.MergedId, cancellationToken);
        if (plan.TakeFromMerged.Contains(MergeField.Owner) && merged.OwnerId is { } owner && owner != survivor.OwnerId
            && !await OwnerAssignment.MayAssignAsync(db, currentUser, owner, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(CustomerInput.OwnerId), "Validation.OwnerNotAssignable", "Choose an active user you may give customers to.")]);
        }
        return await approvals.RequestAsync(ApprovalSummary.Merge(), JsonSerializer.Serialize(plan), cancellationToken);
    }

    /// <summary>Carries out an approved merge of mine, once. Returns the survivor's id.</summary>
    public async Task<Guid> ExecuteAsync(Guid approvalId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        var me = currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        string summary = "";
        MergePlan plan = null!;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Claimed in the merge's own transaction: a merge that fails leaves the approval usable.
            var claimed = await ApprovalService.ClaimAsync(db, approvalId, ApprovalKinds.CustomerMerge, me, time.GetUtcNow().UtcDateTime, cancellationToken)
                ?? throw new AccessDeniedException("Error.MergeNotApproved", "This merge is not approved, or has been carried out already.");
            plan = JsonSerializer.Deserialize<MergePlan>(claimed.Payload)!;
            var survivor = await db.Customers.VisibleTo(currentUser).Include(c => c.Tags).Include(c => c.CustomValues).SingleOrDefaultAsync(c => c.Id == plan.SurvivorId, cancellationToken)
                ?? throw await RecordScope.RefusalAsync(db.Customers, plan.SurvivorId, cancellationToken);
            var merged = await db.Customers.VisibleTo(currentUser).Include(c => c.Tags).Include(c => c.CustomValues).SingleOrDefaultAsync(c => c.Id == plan.MergedId, cancellationToken)
                ?? throw await RecordScope.RefusalAsync(db.Customers, plan.MergedId, cancellationToken);
            if (plan.TakeFromMerged.Contains(MergeField.Status) && merged.Status != survivor.Status)
            {
                db.CustomerStatusChanges.Add(new CustomerStatusChange
                {
                    CustomerId = survivor.Id, FromStatus = survivor.Status, ToStatus = merged.Status, Reason = SystemReasons.Of(SystemReasons.MergedFrom, merged.Number),
                    At = time.GetUtcNow().UtcDateTime, ById = currentUser.UserId, ByName = currentUser.DisplayName,
                });
            }
            TakeFields(survivor, merged, plan.TakeFromMerged);

            var (from, to) = (merged.Id, survivor.Id);
            var contacts = await db.Contacts.Where(c => c.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, to), cancellationToken);
            var interactions = await db.Interactions.Where(i => i.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(i => i.CustomerId, to), cancellationToken);
            await db.Todos.Where(t => t.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(t => t.CustomerId, to), cancellationToken);
            var demands = await db.Demands.Where(d => d.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(d => d.CustomerId, to), cancellationToken);
            var tickets = await db.Tickets.Where(t => t.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(t => t.CustomerId, to), cancellationToken);
            var orders = await db.Orders.Where(o => o.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerId, to), cancellationToken);
            // Bulk, so past CustomerOwnerFollower: the deals take the survivor's owner (as saved below) themselves.
            var survivorOwner = survivor.OwnerId;
            var opportunities = await db.Opportunities.Where(o => o.CustomerId == from)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerId, to).SetProperty(o => o.CustomerOwnerId, survivorOwner), cancellationToken);
            // Quotes hang off their opportunity; a lead converted into the merged customer now links to the survivor.
            await db.Leads.Where(l => l.ConvertedCustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(l => l.ConvertedCustomerId, to), cancellationToken);
            await db.CustomerStatusChanges.Where(c => c.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, to), cancellationToken);
            await db.TierChanges.Where(c => c.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, to), cancellationToken);
            await db.CustomerAliases.Where(a => a.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(a => a.CustomerId, to), cancellationToken);
            var tags = 0;
            foreach (var tag in merged.Tags.Where(t => survivor.Tags.All(s => s.TagId != t.TagId)).ToList())
            {
                survivor.Tags.Add(new Tags.CustomerTag { CustomerId = to, TagId = tag.TagId });
                tags++;
            }
            foreach (var value in merged.CustomValues.Where(v => survivor.CustomValues.All(s => s.FieldId != v.FieldId)).ToList())
            {
                survivor.CustomValues.Add(new CustomFields.CustomFieldValue { CustomerId = to, FieldId = value.FieldId, Text = value.Text, Number = value.Number, Date = value.Date, YesNo = value.YesNo });
            }
            db.CustomerAliases.Add(new CustomerAlias { Number = merged.Number, CustomerId = to, MergedId = from, MergedName = merged.Name, MergedAt = time.GetUtcNow().UtcDateTime });
            survivor.LastContactAt = Max(survivor.LastContactAt, merged.LastContactAt);
            await CustomerSearch.DeleteKeysAsync(db, [from], cancellationToken);
            db.Customers.Remove(merged); // its tags, values and sample rows go with it
            await db.SaveChangesAsync(cancellationToken);

            db.ChangeTracker.Clear();
            var all = await db.Contacts.Where(c => c.CustomerId == to).ToListAsync(cancellationToken);
            var reloaded = await db.Customers.SingleAsync(c => c.Id == to, cancellationToken);
            await CustomerSearch.RefreshAsync(db, reloaded, all, cancellationToken);
            // Both open pages learn of it: the survivor's re-reads, the merged one's says where it went.
            var survivorAudience = await db.AudienceOfAsync(reloaded.OwnerId, cancellationToken); // the owner may be the merged one's now
            db.RecordLiveEvent(() => new CustomerChanged(to, reloaded.Version, currentUser.UserId, currentUser.DisplayName) { Audience = survivorAudience });
            db.RecordLiveEvent(new CustomerChanged(from, 0, currentUser.UserId, currentUser.DisplayName) { Audience = await db.AudienceOfAsync(merged.OwnerId, cancellationToken) });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            summary = $"{merged.Number} → {survivor.Number}: {contacts} contacts, {interactions} interactions, {demands} demands, {tickets} tickets, {orders} orders, {opportunities} opportunities, {tags} tags moved";
        });
        await audit.RecordAsync(AuditAction.Merge, nameof(Customer), summary, currentUser.UserId, currentUser.DisplayName, CancellationToken.None);
        await db.PublishRecordedAsync(liveEvents, CancellationToken.None);
        return plan.SurvivorId;
    }

    private static void TakeFields(Customer survivor, Customer merged, IReadOnlyList<MergeField> fields)
    {
        foreach (var field in fields.Distinct())
        {
            switch (field)
            {
                case MergeField.Name: survivor.Name = merged.Name; break;
                case MergeField.Industry: survivor.Industry = merged.Industry; break;
                case MergeField.Size: survivor.Size = merged.Size; break;
                case MergeField.Status: survivor.Status = merged.Status; break;
                case MergeField.Province: survivor.Province = merged.Province; break;
                case MergeField.City: survivor.City = merged.City; break;
                case MergeField.District: survivor.District = merged.District; break;
                case MergeField.Street: survivor.Street = merged.Street; break;
                case MergeField.Website: survivor.Website = merged.Website; break;
                case MergeField.CooperationHistory: survivor.CooperationHistory = merged.CooperationHistory; break;
                case MergeField.Notes: survivor.Notes = merged.Notes; break;
                case MergeField.Owner: survivor.OwnerId = merged.OwnerId; break;
            }
        }
    }

    private async Task<MergeSide> SideAsync(CrmDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.AsNoTracking().VisibleTo(currentUser).Include(c => c.Owner).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw await RecordScope.RefusalAsync(db.Customers, id, cancellationToken);
        return new MergeSide(customer, customer.Owner?.DisplayName,
            await db.Contacts.CountAsync(c => c.CustomerId == id, cancellationToken),
            await db.Interactions.CountAsync(i => i.CustomerId == id, cancellationToken),
            await db.Demands.CountAsync(d => d.CustomerId == id, cancellationToken),
            await db.Orders.CountAsync(o => o.CustomerId == id, cancellationToken),
            await db.CustomerTags.CountAsync(t => t.CustomerId == id, cancellationToken));
    }

    private static DateTime? Max(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
