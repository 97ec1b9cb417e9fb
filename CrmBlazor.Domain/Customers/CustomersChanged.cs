using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>
/// Many customers changed in one write (a batch of the tier evaluation, a pass of the silent marking, an import batch):
/// one event per batch instead of one per customer. It names up to <see cref="MaxIds"/> customers; a larger batch says
/// <see cref="Many"/> and every open customer page re-reads. <see cref="ChangedBy"/> is null when a job made the change.
/// </summary>
public sealed record CustomersChanged(IReadOnlyList<Guid> CustomerIds, bool Many, Guid? ChangedBy, string ChangedByName) : LiveEvent
{
    public const int MaxIds = 500;

    /// <summary>Whether a page showing <paramref name="customerId"/> must re-read.</summary>
    public bool Concerns(Guid customerId) => Many || CustomerIds.Contains(customerId);

    /// <summary>
    /// The event for <paramref name="customerIds"/>, addressed to whoever may see one of them (their owners, the owners'
    /// teams, the roles that see everyone); past <see cref="MaxIds"/>, to every role, each page checking its own scope.
    /// </summary>
    public static async Task<CustomersChanged> OfAsync(CrmDbContext db, IReadOnlyCollection<Guid> customerIds, Guid? changedBy, string changedByName,
        CancellationToken cancellationToken)
    {
        if (customerIds.Count > MaxIds)
        {
            return new CustomersChanged([], true, changedBy, changedByName) { Audience = TiersChanged.Everyone };
        }
        var ids = customerIds.Distinct().ToList();
        var owners = await db.Customers.Where(c => ids.Contains(c.Id) && c.OwnerId != null).Select(c => c.OwnerId!.Value).Distinct().ToListAsync(cancellationToken);
        var teams = await db.TeamMemberships.Where(m => owners.Contains(m.UserId)).Select(m => m.TeamId).Distinct().ToListAsync(cancellationToken);
        var audience = RecordScope.AudienceOf(null, teams).Concat(owners.Select(Access.Audience.ForUser)).ToList();
        return new CustomersChanged(ids, false, changedBy, changedByName) { Audience = audience };
    }
}
