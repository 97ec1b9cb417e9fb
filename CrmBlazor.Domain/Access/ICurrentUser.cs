namespace CrmBlazor.Domain.Access;

/// <summary>The seam to the host: who is calling a Domain service. The host fills it from the sign-in claims.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    /// <summary>The user's row in <see cref="AppUser"/>; null for anonymous callers and system jobs.</summary>
    Guid? UserId { get; }

    string DisplayName { get; }

    /// <summary>
    /// The teams the user supervises, as of sign-in: only for live-event audiences. Record scope and approvals
    /// read memberships from the database at every call.
    /// </summary>
    IReadOnlyCollection<Guid> SupervisedTeamIds { get; }

    IReadOnlySet<Role> Roles { get; }

    /// <summary>Background jobs act as the system: no record scope, permissions of an Admin.</summary>
    bool IsSystem { get; }
}

public static class CurrentUserExtensions
{
    public static bool IsIn(this ICurrentUser user, Role role) => user.Roles.Contains(role);
}
