namespace CrmBlazor.Domain.Access;

/// <summary>The caller for start-up work and background jobs: no record scope, recorded as "system".</summary>
public sealed class SystemUser : ICurrentUser
{
    public static SystemUser Instance { get; } = new();

    public bool IsAuthenticated => true;
    public Guid? UserId => null;
    public string DisplayName => "system";
    public IReadOnlyCollection<Guid> SupervisedTeamIds => [];
    public IReadOnlySet<Role> Roles { get; } = new HashSet<Role>();
    public bool IsSystem => true;
}
