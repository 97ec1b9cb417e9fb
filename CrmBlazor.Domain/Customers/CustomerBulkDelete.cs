using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>
/// Deleting several customers at once (the list's selection) always waits for an approval (SPEC A4, H3): the
/// request counts them, never names them (approvers see by name those in their scope); once a Supervisor or Admin approves, the requester carries it out once, and only the
/// customers still within their scope go. Each deletion is audited with its fields (the interceptor).
/// </summary>
public sealed class CustomerBulkDelete(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, ApprovalService approvals, ILiveEvents liveEvents, Uploads.UploadedFiles uploadedFiles, TimeProvider time)
{
    public const int MaxCustomers = 1000;

    public async Task<ApprovalRequest> RequestAsync(IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Delete);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = customerIds.Distinct().Take(MaxCustomers).ToList();
        var chosen = await db.Customers.AsNoTracking().VisibleTo(currentUser).Where(c => ids.Contains(c.Id)).OrderBy(c => c.Number)
            .Select(c => new { c.Id, c.Number }).ToListAsync(cancellationToken);
        if (chosen.Count == 0)
        {
            throw new ValidationFailedException([new ValidationError("Customers", "Validation.NothingToDelete", "None of the chosen customers can be deleted by you.")]);
        }
        return await approvals.RequestAsync(ApprovalSummary.BulkDelete(chosen.Count), JsonSerializer.Serialize(chosen.Select(c => c.Id).ToList()), cancellationToken);
    }

    /// <summary>Carries out an approved bulk delete of mine, once; returns how many customers went.</summary>
    public async Task<int> ExecuteAsync(Guid approvalId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Delete);
        var me = currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Claimed in the deletion's own transaction: a deletion that fails leaves the approval usable.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await ApprovalService.ClaimAsync(db, approvalId, ApprovalKinds.CustomerBulkDelete, me, time.GetUtcNow().UtcDateTime, cancellationToken)
            ?? throw new AccessDeniedException("Error.DeleteNotApproved", "This deletion is not approved, or has been carried out already.");
        var ids = JsonSerializer.Deserialize<List<Guid>>(claimed.Payload) ?? [];
        var customers = await db.Customers.VisibleTo(currentUser).Include(c => c.Contacts).Include(c => c.Owner).ThenInclude(o => o!.Memberships).Where(c => ids.Contains(c.Id)).ToListAsync(cancellationToken);
        var audiences = customers.Select(c => (c.Id, Audience: RecordScope.AudienceOf(c))).ToList();
        var deleting = customers.Select(c => c.Id).ToList();
        var files = await Uploads.UploadedFiles.StoredNamesOfCustomersAsync(db, deleting, cancellationToken);
        await Tickets.TicketFollowUpService.DeleteVisitsOfCustomersAsync(db, deleting, cancellationToken);
        await CustomerSearch.DeleteKeysAsync(db, deleting, cancellationToken);
        db.Customers.RemoveRange(customers);
        foreach (var (id, audience) in audiences)
        {
            db.RecordLiveEvent(new CustomerChanged(id, 0, currentUser.UserId, currentUser.DisplayName) { Audience = audience });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        uploadedFiles.DeleteStored(files); // their demands' evidence and tickets' attachments went by cascade
        await db.PublishRecordedAsync(liveEvents, CancellationToken.None);
        return customers.Count;
    }
}
