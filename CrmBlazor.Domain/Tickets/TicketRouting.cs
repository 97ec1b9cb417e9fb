using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>Where a new ticket goes: its group, and the member it is given to or why it waits in the queue.</summary>
public sealed record TicketRoute(Guid? GroupId, Guid? AssigneeId, TicketQueueReason QueueReason);

/// <summary>
/// Auto-assignment (SPEC G2): the category's group, then — if the group auto-assigns — an active member not
/// marked away, in turn or by fewest open tickets. The turn is claimed with a conditional UPDATE on the group's
/// <see cref="SupportGroup.AssignmentTurn"/>: a caller that lost the race to another instance reads the new
/// turn and tries again, so no turn is handed out twice.
/// </summary>
internal static class TicketRouting
{
    private const int MaxAttempts = 100;

    public static async Task<TicketRoute> RouteAsync(CrmDbContext db, string category, CancellationToken cancellationToken)
    {
        var groupId = await db.SupportGroupCategories.Where(c => c.Category == category).Select(c => (Guid?)c.GroupId).SingleOrDefaultAsync(cancellationToken);
        if (groupId is null)
        {
            return new TicketRoute(null, null, TicketQueueReason.NoGroup);
        }
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var group = await db.SupportGroups.AsNoTracking().Where(g => g.Id == groupId)
                .Select(g => new { g.AutoAssign, g.Strategy, g.AssignmentTurn, g.LastAssignedUserId }).SingleAsync(cancellationToken);
            if (!group.AutoAssign)
            {
                return new TicketRoute(groupId, null, TicketQueueReason.ManualAssignment);
            }
            var eligible = await EligibleAgentsAsync(db, groupId.Value, cancellationToken);
            if (eligible.Count == 0)
            {
                return new TicketRoute(groupId, null, TicketQueueReason.NobodyEligible);
            }
            var inTurn = InTurnAfter(eligible, group.LastAssignedUserId);
            var chosen = group.Strategy == AssignmentStrategy.LeastLoaded ? await LeastLoadedAsync(db, inTurn, cancellationToken) : inTurn[0];
            var claimed = await db.SupportGroups.Where(g => g.Id == groupId && g.AssignmentTurn == group.AssignmentTurn)
                .ExecuteUpdateAsync(s => s.SetProperty(g => g.AssignmentTurn, group.AssignmentTurn + 1).SetProperty(g => g.LastAssignedUserId, chosen), cancellationToken);
            if (claimed == 1)
            {
                return new TicketRoute(groupId, chosen, TicketQueueReason.None);
            }
            await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken); // another instance took this turn
        }
        throw new InvalidOperationException($"Could not claim an assignment turn in support group {groupId} after {MaxAttempts} attempts.");
    }

    /// <summary>The group's agents who are active and not away, in a fixed order (their ids).</summary>
    public static async Task<List<Guid>> EligibleAgentsAsync(CrmDbContext db, Guid groupId, CancellationToken cancellationToken)
    {
        var ids = await (
            from m in db.SupportGroupMembers
            join u in db.Users on m.UserId equals u.Id
            where m.GroupId == groupId && m.Role == SupportGroupRole.Agent && u.IsActive && !u.IsAway
            select u.Id).ToListAsync(cancellationToken);
        ids.Sort();
        return ids;
    }

    /// <summary>The active supervisors of a group: whom a queued ticket is reported to.</summary>
    public static Task<List<Guid>> SupervisorsAsync(CrmDbContext db, Guid groupId, CancellationToken cancellationToken) => (
        from m in db.SupportGroupMembers
        join u in db.Users on m.UserId equals u.Id
        where m.GroupId == groupId && m.Role == SupportGroupRole.Supervisor && u.IsActive
        select u.Id).ToListAsync(cancellationToken);

    /// <summary>The eligible agents starting with the one after <paramref name="last"/> (wrapping round).</summary>
    private static List<Guid> InTurnAfter(List<Guid> eligible, Guid? last)
    {
        var next = last is { } l ? eligible.FindIndex(id => id.CompareTo(l) > 0) : 0;
        next = next < 0 ? 0 : next;
        return [.. eligible.Skip(next), .. eligible.Take(next)];
    }

    private static async Task<Guid> LeastLoadedAsync(CrmDbContext db, List<Guid> inTurn, CancellationToken cancellationToken)
    {
        var load = await db.Tickets.Where(t => t.AssigneeId != null && inTurn.Contains(t.AssigneeId.Value)
                && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed)
            .GroupBy(t => t.AssigneeId!.Value).Select(g => new { UserId = g.Key, Open = g.Count() })
            .ToDictionaryAsync(x => x.UserId, x => x.Open, cancellationToken);
        return inTurn.MinBy(id => load.GetValueOrDefault(id)); // MinBy keeps the first of equals: ties go in turn
    }
}
