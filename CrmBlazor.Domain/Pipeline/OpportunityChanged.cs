using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>An opportunity changed (created, moved, waiting for or past an approval, won, lost, reassigned): pipeline boards refresh.</summary>
public sealed record OpportunityChanged(Guid OpportunityId, Guid CustomerId, string Stage, int Version, Guid? ChangedBy, string ChangedByName) : LiveEvent
{
    /// <summary>
    /// Records the board's event with the next save of <paramref name="db"/>, built as the save goes out so it carries the
    /// saved version; for whoever may see the customer (loaded with its owner's memberships) and the opportunity's owner.
    /// </summary>
    public static void Record(CrmDbContext db, Opportunity opportunity, Customer customer, Guid? byId, string byName) =>
        db.RecordLiveEvent(() => new OpportunityChanged(opportunity.Id, customer.Id, opportunity.Stage.ToString(), opportunity.Version, byId, byName)
        {
            Audience = [.. RecordScope.AudienceOf(customer), Access.Audience.ForUser(opportunity.OwnerId)],
        });
}

/// <summary>What an opportunity's move approval carries (the request's payload).</summary>
public sealed record OpportunityMovePlan(Guid OpportunityId, Guid CustomerId, OpportunityStage From, OpportunityStage To);
