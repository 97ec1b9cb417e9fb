using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>A signed-in person as the Domain knows them, ready to become claims.</summary>
/// <param name="SupervisedTeamIds">The teams whose supervisor flag they hold at sign-in (live-event audiences only).</param>
/// <param name="SecurityStamp">The user's stamp at sign-in; the session ends when it changes.</param>
public sealed record SignedInUser(Guid UserId, string DisplayName, string? Email, IReadOnlyList<Guid> SupervisedTeamIds, IReadOnlySet<Role> Roles, string? SecurityStamp = null);

/// <summary>What a sign-in token says about its user.</summary>
/// <param name="SignInNames">The token's e-mail and UPN: a pre-registered user whose e-mail is one of them takes this object id.</param>
/// <param name="GroupIds">The token's <c>groups</c> claims; null when the token says nothing about groups (none requested, or too many
/// to carry): then memberships that came from groups stay as they are.</param>
public sealed record SignInToken(
    string ExternalId, string? TenantId, string DisplayName, string? Email, IReadOnlyCollection<Role> Roles,
    IReadOnlyCollection<string> SignInNames, IReadOnlyCollection<string>? GroupIds);

/// <summary>
/// <c>AzureAd:TeamGroups</c>: Entra group object id → team name. A sign-in whose token carries a mapped group is
/// put in that team (the team is created when missing); a membership that came from a group the token no longer
/// carries is removed; memberships an Admin made stay.
/// </summary>
public sealed record TeamGroupMap(IReadOnlyDictionary<string, string> TeamsByGroup)
{
    public static TeamGroupMap None { get; } = new(new Dictionary<string, string>());
}

/// <summary>Keeps the local user mirror in step with the identity provider and records sign-ins.</summary>
/// <remarks>Mirror updates come from the identity provider, so they are written (and audited) as the system.</remarks>
public sealed class UserDirectory(DatabaseSettings database, AuditLog auditLog, TimeProvider time, TeamGroupMap teamGroups)
{
    /// <summary>Sign-in with what a (development) sign-in knows: no groups, no other names.</summary>
    public Task<SignedInUser> SignInAsync(string externalId, string? tenantId, string displayName, string? email, IEnumerable<Role> roles, CancellationToken cancellationToken = default) =>
        SignInAsync(new SignInToken(externalId, tenantId, displayName, email, roles.ToList(), email is null ? [] : [email], null), cancellationToken);

    /// <summary>
    /// Called once per sign-in with what the token says. Finds the mirror row keyed on (object id, tenant) — or the
    /// pre-registered row whose e-mail is one of the token's names, which from now on is keyed on the object id —
    /// creates it otherwise, takes the roles from the token, applies <see cref="TeamGroupMap"/>, and writes a sign-in audit entry.
    /// </summary>
    public async Task<SignedInUser> SignInAsync(SignInToken token, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var user = await db.Users.Include(u => u.Memberships)
            .SingleOrDefaultAsync(u => u.ExternalId == token.ExternalId && u.TenantId == token.TenantId, cancellationToken)
            ?? await PreRegisteredAsync(db, token.SignInNames, cancellationToken);
        if (user is null)
        {
            user = new AppUser { ExternalId = token.ExternalId, TenantId = token.TenantId, DisplayName = token.DisplayName };
            db.Users.Add(user);
        }
        if (!user.IsActive)
        {
            throw new Common.AccessDeniedException("Error.UserDisabled", $"The account of {token.DisplayName} is disabled in CrmBlazor.", token.DisplayName);
        }
        user.ExternalId = token.ExternalId;
        user.TenantId = token.TenantId;
        user.DisplayName = token.DisplayName;
        user.Email = UserAdmin.NormalizeEmail(token.Email) is { Length: > 0 } email ? email : null;
        user.Roles = AppUser.FormatRoles(token.Roles);
        user.LastSignInAt = time.GetUtcNow().UtcDateTime;
        if (token.GroupIds is { } groups)
        {
            await ApplyTeamGroupsAsync(db, user, groups, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);

        await auditLog.RecordAsync(AuditAction.SignIn, nameof(AppUser), user.Id.ToString(), user.Id, user.DisplayName, cancellationToken);
        var supervised = user.Memberships.Where(m => m.IsSupervisor).Select(m => m.TeamId).ToList();
        return new SignedInUser(user.Id, user.DisplayName, user.Email, supervised, user.RoleSet, user.SecurityStamp);
    }

    /// <summary>
    /// A delegated API token's user, found as sign-in finds them — the mirror row keyed on (object id, tenant), else the
    /// pre-registered row whose e-mail is one of the token's names — but read only: no row is created, bound or refreshed
    /// and no sign-in is recorded (each API call is one). Their roles and teams are the mirror's, as the UI's last sign-in
    /// or an Admin left them. Null for someone unknown to CrmBlazor or disabled in it.
    /// </summary>
    public async Task<SignedInUser?> FindSignedInAsync(string externalId, string? tenantId, IReadOnlyCollection<string> signInNames, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var user = await db.Users.AsNoTracking().Include(u => u.Memberships)
            .SingleOrDefaultAsync(u => u.ExternalId == externalId && u.TenantId == tenantId, cancellationToken)
            ?? await PreRegisteredAsync(db, signInNames, cancellationToken);
        if (user is null || !user.IsActive)
        {
            return null;
        }
        var supervised = user.Memberships.Where(m => m.IsSupervisor).Select(m => m.TeamId).ToList();
        return new SignedInUser(user.Id, user.DisplayName, user.Email, supervised, user.RoleSet, user.SecurityStamp);
    }

    private static async Task<AppUser?> PreRegisteredAsync(CrmDbContext db, IReadOnlyCollection<string> signInNames, CancellationToken cancellationToken)
    {
        var names = signInNames.Select(UserAdmin.NormalizeEmail).Where(n => n.Length > 0).Distinct().ToList();
        return names.Count == 0
            ? null
            : await db.Users.Include(u => u.Memberships).Where(u => u.ExternalId == null && names.Contains(u.Email!)).OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Memberships from the token's mapped groups: added when missing, removed when the group is gone; manual ones untouched.</summary>
    private async Task ApplyTeamGroupsAsync(CrmDbContext db, AppUser user, IReadOnlyCollection<string> groupIds, CancellationToken cancellationToken)
    {
        var teamNames = groupIds.Select(g => teamGroups.TeamsByGroup.GetValueOrDefault(g)).OfType<string>().Distinct().ToList();
        var teams = await db.Teams.Where(t => teamNames.Contains(t.Name)).ToListAsync(cancellationToken);
        foreach (var missing in teamNames.Where(n => teams.All(t => t.Name != n)))
        {
            var team = new Team { Name = missing };
            db.Teams.Add(team);
            teams.Add(team);
        }
        var mapped = teams.Select(t => t.Id).ToHashSet();
        foreach (var gone in user.Memberships.Where(m => m.Source == MembershipSource.EntraGroup && !mapped.Contains(m.TeamId)).ToList())
        {
            user.Memberships.Remove(gone);
            db.TeamMemberships.Remove(gone);
        }
        foreach (var team in teams.Where(t => user.Memberships.All(m => m.TeamId != t.Id)))
        {
            // A supervisor by role starts as the supervisor of a team their group puts them in; an Admin may change it.
            user.Memberships.Add(new TeamMembership { TeamId = team.Id, UserId = user.Id, Source = MembershipSource.EntraGroup, IsSupervisor = user.RoleSet.Contains(Role.Supervisor) });
        }
    }

    /// <summary>The development sign-in lists these, with their roles and teams: every active person who has an object id, by role.</summary>
    public async Task<IReadOnlyList<AppUser>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var users = await ActivePeople(db).Include(u => u.Memberships).ThenInclude(m => m.Team).ToListAsync(cancellationToken);
        return InPickerOrder(users, u => u.Roles, u => u.DisplayName).ToList();
    }

    /// <summary>
    /// The people a page offers to pick — as an owner, an assignee, a member, a filter — in the sign-in list's order, as
    /// records: every active person who has an object id; with <paramref name="withAnyRole"/>, only those holding one of them.
    /// </summary>
    public async Task<IReadOnlyList<UserOption>> OptionsAsync(IReadOnlyCollection<Role>? withAnyRole = null, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var people = await ActivePeople(db).Select(u => new { u.Id, u.DisplayName, u.Roles }).ToListAsync(cancellationToken);
        return InPickerOrder(people.Where(p => withAnyRole is null || AppUser.ParseRoles(p.Roles).Overlaps(withAnyRole)), p => p.Roles, p => p.DisplayName)
            .Select(p => new UserOption(p.Id, p.DisplayName)).ToList();
    }

    /// <summary>The order every people picker shows: by each one's first role (Admin, Supervisor, SalesRep…), then by name.</summary>
    internal static IOrderedEnumerable<T> InPickerOrder<T>(IEnumerable<T> people, Func<T, string> roles, Func<T, string> name) =>
        people.OrderBy(p => FirstRole(roles(p))).ThenBy(name, StringComparer.Ordinal);

    /// <summary>Active users who are people (an object id; API keys' and Entra applications' service accounts left out).</summary>
    internal static IQueryable<AppUser> ActivePeople(CrmDbContext db) => db.Users.AsNoTracking()
        .Where(u => u.IsActive && u.ExternalId != null && !u.ExternalId.StartsWith(Api.ApiKeyService.ExternalIdPrefix) && !u.ExternalId.StartsWith(Api.EntraApplications.ExternalIdPrefix));

    private static Role FirstRole(string roles) => AppUser.ParseRoles(roles).DefaultIfEmpty(Role.Analyst).Min();

    /// <summary>A user's display name, for a page that has only the id; null for an id no one has.</summary>
    public async Task<string?> NameAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<AppUser?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
    }

}
