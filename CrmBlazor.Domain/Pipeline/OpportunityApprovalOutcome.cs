using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// The decision on a large opportunity's move (SPEC A4): approved, the move is made as its requester asked, in the
/// decision's save (so once); rejected, the opportunity stays where it is and keeps the approver's reason.
/// An opportunity no longer waiting for this request (deleted with its customer) is left alone.
/// </summary>
public sealed class OpportunityApprovalOutcome(ICurrentUser currentUser, TimeProvider time) : IApprovalOutcome
{
    public string Kind => ApprovalKinds.OpportunityMove;

    public async Task ApplyAsync(CrmDbContext db, ApprovalRequest request, bool approved, CancellationToken cancellationToken)
    {
        var plan = JsonSerializer.Deserialize<OpportunityMovePlan>(request.Payload);
        var opportunity = plan is null ? null : await db.Opportunities.SingleOrDefaultAsync(o => o.Id == plan.OpportunityId, cancellationToken);
        if (plan is null || opportunity is null || opportunity.PendingApprovalId != request.Id)
        {
            return;
        }
        var now = time.GetUtcNow().UtcDateTime;
        opportunity.PendingApprovalId = null;
        opportunity.PendingStage = null;
        if (approved)
        {
            OpportunityService.Enter(db, opportunity, plan.To, now, request.RequestedById, request.RequestedByName);
            opportunity.RejectionReason = null;
            request.Status = ApprovalStatus.Completed;
            request.CompletedAt = now;
        }
        else
        {
            opportunity.RejectionReason = request.Comment;
        }
        var customer = await db.Customers.Include(c => c.Owner).ThenInclude(o => o!.Memberships).SingleAsync(c => c.Id == opportunity.CustomerId, cancellationToken);
        OpportunityChanged.Record(db, opportunity, customer, currentUser.UserId, currentUser.DisplayName);
    }
}
