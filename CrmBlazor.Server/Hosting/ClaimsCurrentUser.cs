using System.Security.Claims;
using CrmBlazor.Domain.Access;

namespace CrmBlazor.Server.Hosting;

/// <summary>The claims CrmBlazor adds at sign-in, beside the name and roles.</summary>
public static class CrmClaims
{
    public const string UserId = "crm:uid";
    /// <summary>One claim per team the user supervised at sign-in: live-event audiences only (scope reads the database).</summary>
    public const string SupervisedTeam = "crm:supervises";

    /// <summary>The user's <see cref="AppUser.SecurityStamp"/> at sign-in: the session ends when the stored one differs.</summary>
    public const string SecurityStamp = "crm:stamp";

    /// <summary>When the user signed in (Unix seconds), for the absolute lifetime: the cookie's own issue time slides.</summary>
    public const string SignedInAt = "crm:signed-in";

    /// <summary>Azure AD app roles arrive in the token's <c>roles</c> claim; local sign-in uses the same type.</summary>
    public const string Role = "roles";

    private static readonly Dictionary<string, Role> RolesByName = Enum.GetValues<Role>().ToDictionary(r => r.ToString(), StringComparer.Ordinal);

    /// <summary>
    /// The role a claim names, matched exactly and case-sensitively ("Admin", never "admin", "1" or "Admin,Analyst"):
    /// an app role's value in Azure AD is spelled once, in the app registration.
    /// </summary>
    public static Role? RoleNamed(string value) => RolesByName.TryGetValue(value, out var role) ? role : null;

    public static ClaimsIdentity Identity(SignedInUser user, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Name, Role);
        AddTo(identity, user);
        identity.AddClaims(user.Roles.Select(r => new Claim(Role, r.ToString())));
        return identity;
    }

    public static void AddTo(ClaimsIdentity identity, SignedInUser user)
    {
        identity.AddClaim(new Claim(UserId, user.UserId.ToString()));
        if (!identity.HasClaim(c => c.Type == identity.NameClaimType))
        {
            identity.AddClaim(new Claim(identity.NameClaimType, user.DisplayName));
        }
        identity.AddClaims(user.SupervisedTeamIds.Select(team => new Claim(SupervisedTeam, team.ToString())));
        if (user.SecurityStamp is { } stamp)
        {
            identity.AddClaim(new Claim(SecurityStamp, stamp));
        }
    }
}

/// <summary>
/// <see cref="ICurrentUser"/> read from a <see cref="ClaimsPrincipal"/>: set per HTTP request by
/// middleware, and per circuit by <see cref="CurrentUserCircuitHandler"/>.
/// </summary>
public sealed class ClaimsCurrentUser : ICurrentUser
{
    private ClaimsPrincipal _principal = new(new ClaimsIdentity());

    public ClaimsPrincipal Principal => _principal;

    /// <summary>True for a Blazor circuit's user (set by <see cref="CurrentUserCircuitHandler"/>), false for one HTTP request's.</summary>
    public bool InCircuit { get; private set; }

    public void MarkInCircuit() => InCircuit = true;

    public void Set(ClaimsPrincipal principal)
    {
        _principal = principal;
        Roles = principal.Claims
            .Where(c => c.Type is CrmClaims.Role or ClaimTypes.Role)
            .Select(c => CrmClaims.RoleNamed(c.Value))
            .OfType<Role>()
            .ToHashSet();
    }

    public static ClaimsCurrentUser From(ClaimsPrincipal principal)
    {
        var user = new ClaimsCurrentUser();
        user.Set(principal);
        return user;
    }

    public bool IsAuthenticated => _principal.Identity?.IsAuthenticated == true && UserId is not null;
    public Guid? UserId => Guid.TryParse(_principal.FindFirstValue(CrmClaims.UserId), out var id) ? id : null;
    public string DisplayName => _principal.Identity?.Name ?? "anonymous";
    public IReadOnlyCollection<Guid> SupervisedTeamIds =>
        _principal.FindAll(CrmClaims.SupervisedTeam).Select(c => Guid.TryParse(c.Value, out var id) ? id : (Guid?)null).OfType<Guid>().ToList();
    public IReadOnlySet<Role> Roles { get; private set; } = new HashSet<Role>();
    public bool IsSystem => false;
}
