using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Demands;

/// <summary>
/// Finds demands still open after their response deadline (SPEC D4, D5) and tells the owner and the
/// supervisors, once per demand across every instance running this pass (J3): the instance whose
/// conditional UPDATE sets <see cref="Demand.BreachNotifiedAt"/> sends; the others skip.
/// </summary>
public sealed class SlaBreachJob(IDbContextFactory<CrmDbContext> dbFactory, NotificationService notifications, TimeProvider time)
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var breached = await (
            from d in db.Demands.AsNoTracking()
            join c in db.Customers on d.CustomerId equals c.Id
            where d.Status == DemandStatus.Open && d.ResponseDueAt <= now && d.BreachNotifiedAt == null
            orderby d.ResponseDueAt // the oldest breach first; the rest next minute
            select new { d.Id, d.Number, d.OwnerId, d.ResponseDueAt, CustomerName = c.Name })
            .Take(500).ToListAsync(cancellationToken);
        if (breached.Count == 0)
        {
            return;
        }
        var supervisors = (await db.Users.AsNoTracking().Where(u => u.IsActive).Select(u => new { u.Id, u.Roles }).ToListAsync(cancellationToken))
            .Where(u => AppUser.ParseRoles(u.Roles).Contains(Role.Supervisor)).Select(u => u.Id).ToHashSet();
        var memberships = await db.TeamMemberships.AsNoTracking().Select(m => new { m.TeamId, m.UserId, m.IsSupervisor }).ToListAsync(cancellationToken);

        foreach (var demand in breached)
        {
            var claimed = await db.Demands.Where(d => d.Id == demand.Id && d.BreachNotifiedAt == null && d.Status == DemandStatus.Open && d.ResponseDueAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.BreachNotifiedAt, now), cancellationToken);
            if (claimed == 0)
            {
                continue; // another instance has it
            }
            CrmMetrics.SlaBreached("demand", "response");
            // The supervisors of the owner's teams; an owner without a team is watched by every supervisor.
            var ownerTeams = memberships.Where(m => m.UserId == demand.OwnerId).Select(m => m.TeamId).ToHashSet();
            var watching = ownerTeams.Count == 0
                ? supervisors
                : memberships.Where(m => m.IsSupervisor && ownerTeams.Contains(m.TeamId) && supervisors.Contains(m.UserId)).Select(m => m.UserId);
            var recipients = watching.Prepend(demand.OwnerId).Distinct();
            foreach (var userId in recipients)
            {
                await notifications.NotifyAsync(userId, NotificationKinds.SlaBreached,
                    [demand.Number, demand.CustomerName, demand.ResponseDueAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)],
                    NotificationSubject.Demand(demand.Id), $"{NotificationKinds.SlaBreached}:{demand.Id}:{userId}", cancellationToken);
            }
        }
    }
}
