using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// Whom a caller may make a customer's owner (SPEC A2, A3) — the form, the import's 负责人 column and any
/// other owner change ask this one rule: an active user, and either the caller themselves, or someone who
/// owns customers (a SalesRep or Supervisor) that an Admin (or the system) names, or a member of the
/// Supervisor's own team.
/// </summary>
public static class OwnerAssignment
{
    public static bool MayAssign(ICurrentUser caller, AppUser candidate)
    {
        if (!candidate.IsActive)
        {
            return false;
        }
        if (caller.UserId == candidate.Id)
        {
            return true;
        }
        var roles = candidate.RoleSet;
        if (!roles.Contains(Role.SalesRep) && !roles.Contains(Role.Supervisor))
        {
            return false;
        }
        return caller.IsSystem || caller.IsIn(Role.Admin)
            || (caller.IsIn(Role.Supervisor) && caller.TeamId is { } team && candidate.TeamId == team);
    }

    /// <summary>The users the caller may assign, by name (the import's owner column, owner pickers).</summary>
    public static async Task<IReadOnlyList<AppUser>> AssignableAsync(CrmDbContext db, ICurrentUser caller, CancellationToken cancellationToken)
    {
        var active = await db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.DisplayName).ToListAsync(cancellationToken);
        return active.Where(u => MayAssign(caller, u)).ToList();
    }

    public static async Task<bool> MayAssignAsync(CrmDbContext db, ICurrentUser caller, Guid userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) is { } user && MayAssign(caller, user);
}
