using CrmBlazor.Domain.Access;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>An <see cref="ICurrentUser"/> for Domain tests: one of the seeded demo users, or anyone.</summary>
/// <remarks><see cref="SupervisedTeamIds"/> is what a sign-in would have put in the claims (live-event audiences only).</remarks>
public sealed record TestUser(Guid? UserId, string DisplayName, IReadOnlyCollection<Guid> SupervisedTeamIds, IReadOnlySet<Role> Roles) : ICurrentUser
{
    public bool IsAuthenticated => UserId is not null;
    public bool IsSystem => false;

    /// <summary>The user as a sign-in would see them; load <see cref="AppUser.Memberships"/> for their supervised teams.</summary>
    public static TestUser From(AppUser user) =>
        new(user.Id, user.DisplayName, user.Memberships.Where(m => m.IsSupervisor).Select(m => m.TeamId).ToList(), user.RoleSet);
}
