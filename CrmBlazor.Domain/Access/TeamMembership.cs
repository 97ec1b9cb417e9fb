using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Access;

/// <summary>Where a membership came from: an Admin on the teams page, or an Entra group mapped by <c>AzureAd:TeamGroups</c>.</summary>
public enum MembershipSource
{
    Manual,
    EntraGroup,
}

/// <summary>
/// A user in a team (a user may be in several). <see cref="IsSupervisor"/> makes a user with the Supervisor role
/// the team's supervisor: they see its members' customers and decide their approvals. A membership from an Entra
/// group is removed at the sign-in whose token no longer carries the group; a manual one stays until an Admin removes it.
/// </summary>
public sealed class TeamMembership : Entity, IAudited, IGrantsUserAccess
{
    public Guid TeamId { get; set; }
    public Team? Team { get; set; }
    public Guid UserId { get; set; }
    public AppUser? User { get; set; }
    public bool IsSupervisor { get; set; }
    public MembershipSource Source { get; set; }
}
