using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>Which opportunities a user may see (SPEC A3): those of the customers in their record scope, as the board and the funnel read them.</summary>
public static class OpportunityScope
{
    /// <summary>
    /// Every opportunity has a customer (a required key), so for whoever sees every customer this is no filter at all
    /// rather than a probe of the customers per opportunity, which over a year's opportunities is most of the funnel's time.
    /// Otherwise an <c>IN</c> over the scope's customers, not a correlated <c>EXISTS</c>: the database then starts from the
    /// rep's customers and seeks their opportunities by customer, instead of testing every opportunity there is.
    /// </summary>
    public static IQueryable<Opportunity> VisibleTo(this IQueryable<Opportunity> opportunities, CrmDbContext db, ICurrentUser user)
    {
        if (RecordScope.SeesEveryone(user))
        {
            return opportunities;
        }
        var customers = db.Customers.VisibleTo(user).Select(c => c.Id);
        return opportunities.Where(o => customers.Contains(o.CustomerId));
    }
}
