using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>A signed-in person as the Domain knows them, ready to become claims.</summary>
/// <remarks><paramref name="SecurityStamp"/>: the user's stamp at sign-in; the session ends when it changes.</remarks>
public sealed record SignedInUser(Guid UserId, string DisplayName, string? Email, Guid? TeamId, IReadOnlySet<Role> Roles, string? SecurityStamp = null);

/// <summary>Keeps the local user mirror in step with the identity provider and records sign-ins.</summary>
/// <remarks>Mirror updates come from the identity provider, so they are written (and audited) as the system.</remarks>
public sealed class UserDirectory(DatabaseSettings database, AuditLog auditLog, TimeProvider time)
{
    /// <summary>
    /// Called once per sign-in with what the token says. Creates or refreshes the mirror row keyed on
    /// (object id, tenant), takes the roles from the token, and writes a sign-in audit entry.
    /// </summary>
    public async Task<SignedInUser> SignInAsync(string externalId, string? tenantId, string displayName, string? email, IEnumerable<Role> roles, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var user = await db.Users.SingleOrDefaultAsync(u => u.ExternalId == externalId && u.TenantId == tenantId, cancellationToken);
        if (user is null)
        {
            user = new AppUser { ExternalId = externalId, TenantId = tenantId, DisplayName = displayName };
            db.Users.Add(user);
        }
        if (!user.IsActive)
        {
            throw new Common.AccessDeniedException("Error.UserDisabled", $"The account of {displayName} is disabled in CrmBlazor.", displayName);
        }
        user.DisplayName = displayName;
        user.Email = email;
        user.Roles = AppUser.FormatRoles(roles);
        user.LastSignInAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);

        await auditLog.RecordAsync(AuditAction.SignIn, nameof(AppUser), user.Id.ToString(), user.Id, user.DisplayName, cancellationToken);
        return new SignedInUser(user.Id, user.DisplayName, user.Email, user.TeamId, user.RoleSet, user.SecurityStamp);
    }

    /// <summary>The development sign-in lists these: every active user, by role.</summary>
    public async Task<IReadOnlyList<AppUser>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var users = await db.Users.AsNoTracking().Include(u => u.Team).Where(u => u.IsActive).ToListAsync(cancellationToken);
        return users.OrderBy(u => u.RoleSet.DefaultIfEmpty(Role.Analyst).Min()).ThenBy(u => u.DisplayName, StringComparer.Ordinal).ToList();
    }

    public async Task<AppUser?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
    }

}
