using CrmBlazor.Domain.Access;

namespace CrmBlazor.Bench;

/// <summary>The caller the Domain services see during a benchmark.</summary>
internal sealed record BenchUser(Guid? UserId, IReadOnlyCollection<Guid> SupervisedTeamIds, IReadOnlySet<Role> Roles) : ICurrentUser
{
    public bool IsAuthenticated => true;
    public string DisplayName => "bench";
    public bool IsSystem => false;
}
