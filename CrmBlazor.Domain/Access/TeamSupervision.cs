using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// Who supervises whom, read from the memberships as they are now: a user with the Supervisor role who holds a
/// team's supervisor flag supervises every member of that team. Record scope, approvals, owner assignment and
/// SLA alerts ask these, so a team an Admin changes counts at the next call.
/// </summary>
public static class TeamSupervision
{
    /// <summary>The users holding the supervisor flag of a team <paramref name="memberId"/> belongs to (their role is the caller's to check).</summary>
    public static IQueryable<Guid> SupervisorFlagHoldersOf(this CrmDbContext db, Guid memberId) =>
        db.TeamMemberships.Where(s => s.IsSupervisor && db.TeamMemberships.Any(m => m.UserId == memberId && m.TeamId == s.TeamId)).Select(s => s.UserId);

    /// <summary>Whether <paramref name="supervisor"/> (a Supervisor) supervises a team <paramref name="memberId"/> is in.</summary>
    public static async Task<bool> SupervisesAsync(this CrmDbContext db, ICurrentUser supervisor, Guid memberId, CancellationToken cancellationToken) =>
        supervisor.IsIn(Role.Supervisor) && supervisor.UserId is { } id
        && await db.SupervisorFlagHoldersOf(memberId).AnyAsync(s => s == id, cancellationToken);

    /// <summary>The members of the teams <paramref name="supervisorId"/> supervises.</summary>
    public static IQueryable<Guid> MembersSupervisedBy(this CrmDbContext db, Guid supervisorId) =>
        db.TeamMemberships.Where(m => db.TeamMemberships.Any(s => s.UserId == supervisorId && s.IsSupervisor && s.TeamId == m.TeamId)).Select(m => m.UserId);

    /// <summary>The teams whose supervisor flag the user holds (for the live-event audience of a sign-in).</summary>
    public static async Task<IReadOnlyList<Guid>> SupervisedTeamsOfAsync(this CrmDbContext db, Guid userId, CancellationToken cancellationToken) =>
        await db.TeamMemberships.Where(m => m.UserId == userId && m.IsSupervisor).Select(m => m.TeamId).ToListAsync(cancellationToken);
}
