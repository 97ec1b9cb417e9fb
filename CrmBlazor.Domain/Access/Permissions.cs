using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// The one authorization point of the Domain: every service asks <see cref="Demand"/> before it acts.
/// Holds the current <see cref="PermissionMatrix"/>; reloaded after Admin edits it.
/// </summary>
public sealed class Permissions(DatabaseSettings database, TimeProvider time)
{
    private volatile PermissionMatrix _matrix = PermissionMatrix.Defaults;

    public PermissionMatrix Matrix => _matrix;

    public bool IsAllowed(ICurrentUser user, Module module, Operation operation) =>
        user.IsSystem || (user.IsAuthenticated && _matrix.IsAllowed(user.Roles, module, operation));

    /// <summary>Throws <see cref="AccessDeniedException"/> unless the user may do this.</summary>
    public void Demand(ICurrentUser user, Module module, Operation operation)
    {
        if (!IsAllowed(user, module, operation))
        {
            throw new AccessDeniedException(
                "Error.OperationDenied",
                $"Your role may not {operation.ToString().ToLowerInvariant()} in {module}.",
                operation, module);
        }
    }

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        var overrides = await db.PermissionOverrides.AsNoTracking().ToListAsync(cancellationToken);
        _matrix = PermissionMatrix.WithOverrides(overrides);
    }
}
