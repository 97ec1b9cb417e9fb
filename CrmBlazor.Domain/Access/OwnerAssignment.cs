using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// Whom a caller may make a customer's owner (SPEC A2, A3) — the form, the import's 负责人 column and any
/// other owner change ask this one rule: an active user, and either the caller themselves, or someone who
/// owns customers (a SalesRep or Supervisor) that an Admin (or the system) names, or a member of the
/// Supervisor's own teams (<paramref name="supervisedMembers"/>: the members of the teams the caller supervises).
/// </summary>
public static class OwnerAssignment
{
    public static bool MayAssign(ICurrentUser caller, AppUser candidate, IReadOnlySet<Guid> supervisedMembers)
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
            || (caller.IsIn(Role.Supervisor) && supervisedMembers.Contains(candidate.Id));
    }

    /// <summary>Whether <paramref name="user"/> may own customers at all: an active SalesRep or Supervisor.</summary>
    public static bool MayOwnCustomers(AppUser user) =>
        user.IsActive && (user.RoleSet.Contains(Role.SalesRep) || user.RoleSet.Contains(Role.Supervisor));

    private static async Task<IReadOnlySet<Guid>> SupervisedMembersAsync(CrmDbContext db, ICurrentUser caller, CancellationToken cancellationToken) =>
        caller.IsIn(Role.Supervisor) && caller.UserId is { } me
            ? (await db.MembersSupervisedBy(me).ToListAsync(cancellationToken)).ToHashSet()
            : new HashSet<Guid>();

    /// <summary>The users the caller may assign, by name (the import's owner column, owner pickers).</summary>
    public static async Task<IReadOnlyList<AppUser>> AssignableAsync(CrmDbContext db, ICurrentUser caller, CancellationToken cancellationToken)
    {
        var active = await db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.DisplayName).ToListAsync(cancellationToken);
        var supervised = await SupervisedMembersAsync(db, caller, cancellationToken);
        return active.Where(u => MayAssign(caller, u, supervised)).ToList();
    }

    public static async Task<bool> MayAssignAsync(CrmDbContext db, ICurrentUser caller, Guid userId, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) is { } user
        && MayAssign(caller, user, await SupervisedMembersAsync(db, caller, cancellationToken));
}
