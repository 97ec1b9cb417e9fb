using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Api;

/// <summary>
/// Entra applications that call the API with their own (client-credentials) token. Each gets a service account the first
/// time it calls, keyed on its application id and tenant, so the permission matrix, record scope and audit log treat it as
/// they treat an API key: the audit rows name "API: {application}". Its rights follow the app roles its token carries
/// (<see cref="ReadRole"/>, <see cref="WriteRole"/>); an Admin who deactivates the account shuts the application out.
/// </summary>
public sealed class EntraApplications(DatabaseSettings database, TimeProvider time)
{
    /// <summary>How an application's service account's <see cref="AppUser.ExternalId"/> begins: never an Entra object id.</summary>
    public const string ExternalIdPrefix = "entra-app:";

    /// <summary>The app role that lets an application read through the API.</summary>
    public const string ReadRole = "Api.Read";

    /// <summary>The app role that lets an application also create and change records through the API.</summary>
    public const string WriteRole = "Api.Write";

    /// <summary>Read: an Analyst sees every customer and changes nothing.</summary>
    public static IReadOnlySet<Role> ReadRoles { get; } = new HashSet<Role> { Role.Analyst };

    /// <summary>
    /// Write: an Analyst's view of every customer plus a Supervisor's rights on the business modules (create, edit, status),
    /// never Administration: an integration can neither issue keys nor change grants.
    /// </summary>
    public static IReadOnlySet<Role> WriteRoles { get; } = new HashSet<Role> { Role.Analyst, Role.Supervisor };

    /// <summary>The CRM roles the token's app roles grant; empty when it carries neither API role.</summary>
    public static IReadOnlySet<Role> RolesFor(IEnumerable<string> appRoles)
    {
        var given = appRoles.ToHashSet(StringComparer.Ordinal);
        return given.Contains(WriteRole) ? WriteRoles : given.Contains(ReadRole) ? ReadRoles : new HashSet<Role>();
    }

    /// <summary>
    /// The application's service account, created on its first call and given the roles of this token; null when the
    /// token grants no API role or an Admin deactivated the account.
    /// </summary>
    public async Task<SignedInUser?> SignInAsync(string applicationId, string? tenantId, string? applicationName, IEnumerable<string> appRoles, CancellationToken cancellationToken = default)
    {
        var roles = RolesFor(appRoles);
        if (roles.Count == 0)
        {
            return null;
        }
        var externalId = ExternalIdPrefix + applicationId;
        await using var db = DomainServices.CreateSystemContext(database, time);
        var account = await FindAsync(db, externalId, tenantId, cancellationToken);
        if (account is null)
        {
            account = new AppUser
            {
                ExternalId = externalId,
                TenantId = tenantId,
                DisplayName = Truncate(ApiKeyService.DisplayNamePrefix + (string.IsNullOrWhiteSpace(applicationName) ? applicationId : applicationName.Trim()), 100),
                Roles = AppUser.FormatRoles(roles),
            };
            db.Users.Add(account);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Its first two calls raced (on two instances): the unique (ExternalId, TenantId) index let one create it.
                db.ChangeTracker.Clear();
                account = await FindAsync(db, externalId, tenantId, cancellationToken) ?? throw new InvalidOperationException($"The account of application {applicationId} vanished.");
            }
        }
        if (!account.IsActive)
        {
            return null;
        }
        var formatted = AppUser.FormatRoles(roles);
        if (account.Roles != formatted)
        {
            // The app's role assignment changed in Entra: written (and audited) as the system, once.
            account.Roles = formatted;
            await db.SaveChangesAsync(cancellationToken);
        }
        var supervised = account.Memberships.Where(m => m.IsSupervisor).Select(m => m.TeamId).ToList();
        return new SignedInUser(account.Id, account.DisplayName, null, supervised, account.RoleSet);
    }

    private static Task<AppUser?> FindAsync(CrmDbContext db, string externalId, string? tenantId, CancellationToken cancellationToken) =>
        db.Users.Include(u => u.Memberships).SingleOrDefaultAsync(u => u.ExternalId == externalId && u.TenantId == tenantId, cancellationToken);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
