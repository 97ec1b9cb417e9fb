using CrmBlazor.Domain.Access;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>An <see cref="ICurrentUser"/> for Domain tests: one of the seeded demo users, or anyone.</summary>
public sealed record TestUser(Guid? UserId, string DisplayName, Guid? TeamId, IReadOnlySet<Role> Roles) : ICurrentUser
{
    public bool IsAuthenticated => UserId is not null;
    public bool IsSystem => false;

    public static TestUser From(AppUser user) => new(user.Id, user.DisplayName, user.TeamId, user.RoleSet);
}
