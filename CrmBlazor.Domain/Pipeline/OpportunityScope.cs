using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// Which opportunities a user may see (SPEC A3): those of the customers in their record scope, as the board and the funnel
/// read them. <see cref="RecordScope.VisibleTo"/>'s rules, applied to the deal's copy of its customer's owner
/// (<see cref="Opportunity.CustomerOwnerId"/>) so that the database reads one index range per owner in scope rather than
/// seeking every customer of a rep in turn.
/// </summary>
public static class OpportunityScope
{
    /// <summary>
    /// Every opportunity has a customer (a required key), so for whoever sees every customer this is no filter at all.
    /// A rep: the deals of their customers; a supervisor: also those of customers owned by a member of a team they supervise
    /// (memberships as they are now). A deal of a customer nobody owns is seen only by those who see every customer.
    /// </summary>
    public static IQueryable<Opportunity> VisibleTo(this IQueryable<Opportunity> opportunities, CrmDbContext db, ICurrentUser user)
    {
        if (RecordScope.SeesEveryone(user))
        {
            return opportunities;
        }
        if (!user.IsAuthenticated || user.UserId is not { } userId)
        {
            return opportunities.Where(_ => false);
        }
        if (user.IsIn(Role.Supervisor))
        {
            var supervised = db.TeamMemberships
                .Where(m => m.Team!.Members.Any(s => s.UserId == userId && s.IsSupervisor))
                .Select(m => (Guid?)m.UserId);
            return opportunities.Where(o => o.CustomerOwnerId == userId || supervised.Contains(o.CustomerOwnerId));
        }
        return opportunities.Where(o => o.CustomerOwnerId == userId);
    }
}
