using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// The decision on a supervisor's lead assignment (SPEC A4, F1): approved, the rep has the lead and is told, in the
/// decision's save (so once); rejected, the lead stays where it was. A lead no longer waiting for this request is left alone.
/// </summary>
public sealed class LeadAssignmentOutcome(NotificationService notifications, TimeProvider time) : IApprovalOutcome
{
    public string Kind => ApprovalKinds.LeadAssignment;

    public async Task ApplyAsync(CrmDbContext db, ApprovalRequest request, bool approved, CancellationToken cancellationToken)
    {
        var plan = JsonSerializer.Deserialize<LeadAssignmentPlan>(request.Payload);
        var lead = plan is null ? null : await db.Leads.SingleOrDefaultAsync(l => l.Id == plan.LeadId, cancellationToken);
        if (plan is null || lead is null || lead.PendingApprovalId != request.Id)
        {
            return;
        }
        var previous = lead.OwnerId;
        if (approved)
        {
            var now = time.GetUtcNow().UtcDateTime;
            LeadService.GiveTo(lead, plan.OwnerId, now);
            LeadService.StageAssignedNotification(db, notifications, lead, plan.OwnerId, request.RequestedByName);
            request.Status = ApprovalStatus.Completed;
            request.CompletedAt = now;
        }
        else
        {
            lead.PendingApprovalId = null;
            lead.PendingOwnerId = null;
        }
        await LeadChanged.RecordAsync(db, lead, previous, cancellationToken);
    }
}
