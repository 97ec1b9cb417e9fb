using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// The local mirror of a signed-in person. Keyed on the Entra object id (<see cref="ExternalId"/>) and
/// tenant, never on e-mail; refreshed from the token at every sign-in. A user an Admin pre-registers has no
/// object id yet: the first sign-in whose e-mail/UPN matches <see cref="Email"/> takes the row.
/// </summary>
public sealed class AppUser : AuditableEntity
{
    /// <summary>The Entra object id; null while the user is only pre-registered.</summary>
    public string? ExternalId { get; set; }
    public string? TenantId { get; set; }
    public required string DisplayName { get; set; }
    public string? Email { get; set; }

    /// <summary>Comma-separated <see cref="Role"/> names, as the last token or Admin gave them.</summary>
    public string Roles { get; set; } = "";

    public List<TeamMembership> Memberships { get; set; } = [];
    public bool IsActive { get; set; } = true;

    /// <summary>On leave or otherwise away: auto-assignment passes them over (SPEC G2) until they are back.</summary>
    public bool IsAway { get; set; }
    public DateTime? LastSignInAt { get; set; }

    /// <summary>
    /// Renewed whenever the user's access changes (deactivated, roles, team — <see cref="SecurityStampInterceptor"/>);
    /// sessions carry the value they signed in with and end when it no longer matches (ASVS 8.3.2).
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");

    /// <summary>The time zone the user sees times in (SPEC J1); null: the company's. Display only, never a day rule.</summary>
    public string? TimeZone { get; set; }

    public IReadOnlySet<Role> RoleSet => ParseRoles(Roles);

    public static IReadOnlySet<Role> ParseRoles(string roles) =>
        roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => Enum.TryParse<Role>(r, ignoreCase: true, out var role) ? role : (Role?)null)
            .OfType<Role>()
            .ToHashSet();

    public static string FormatRoles(IEnumerable<Role> roles) => string.Join(',', roles.Distinct().Order());
}

/// <summary>A sales or service team; a Supervisor of it sees the customers its members own.</summary>
public sealed class Team : AuditableEntity
{
    public required string Name { get; set; }
    public List<TeamMembership> Members { get; set; } = [];
}
