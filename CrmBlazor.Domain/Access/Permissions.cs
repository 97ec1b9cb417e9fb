using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// The one authorization point of the Domain: every service asks <see cref="Demand"/> before it acts.
/// Holds the current <see cref="PermissionMatrix"/> and the <see cref="PermissionMatrixStamp"/> it was loaded at;
/// reloaded after Admin edits it (told by a live event) and whenever <see cref="RefreshIfChangedAsync"/> finds a
/// newer stamp (the periodic check that does not depend on the message arriving).
/// </summary>
public sealed class Permissions(DatabaseSettings database, TimeProvider time, IAccessRefusalAudit? refusals = null)
{
    private volatile Loaded _loaded = new(PermissionMatrix.Defaults, -1);

    public PermissionMatrix Matrix => _loaded.Matrix;

    /// <summary>The stored stamp the current matrix was read at (-1 before the first load).</summary>
    public long Stamp => _loaded.Stamp;

    public bool IsAllowed(ICurrentUser user, Module module, Operation operation) =>
        user.IsSystem || (user.IsAuthenticated && _loaded.Matrix.IsAllowed(user.Roles, module, operation));

    /// <summary>Throws <see cref="AccessDeniedException"/> unless the user may do this; the refusal is audited.</summary>
    public void Demand(ICurrentUser user, Module module, Operation operation)
    {
        if (!IsAllowed(user, module, operation))
        {
            refusals?.Refused(user, $"{module}/{operation}");
            throw new AccessDeniedException(
                "Error.OperationDenied",
                $"Your role may not {operation.ToString().ToLowerInvariant()} in {module}.",
                operation, module);
        }
    }

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        // The stamp first: a change committed between the two reads leaves an older stamp, so the next check reloads again.
        var stamp = await ReadStampAsync(db, cancellationToken);
        var overrides = await db.PermissionOverrides.AsNoTracking().ToListAsync(cancellationToken);
        _loaded = new Loaded(PermissionMatrix.WithOverrides(overrides), stamp);
    }

    /// <summary>Reloads when the stored stamp differs from the one this matrix was read at; true when it did.</summary>
    public async Task<bool> RefreshIfChangedAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = DomainServices.CreateSystemContext(database, time))
        {
            if (await ReadStampAsync(db, cancellationToken) == _loaded.Stamp)
            {
                return false;
            }
        }
        await ReloadAsync(cancellationToken);
        return true;
    }

    /// <summary>Bumps the stored stamp; call inside the transaction that changes the overrides.</summary>
    public static Task BumpStampAsync(CrmDbContext db, CancellationToken cancellationToken) =>
        db.PermissionMatrixStamps.Where(s => s.Id == PermissionMatrixStamp.SingleId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Stamp, x => x.Stamp + 1), cancellationToken);

    private static async Task<long> ReadStampAsync(CrmDbContext db, CancellationToken cancellationToken) =>
        await db.PermissionMatrixStamps.Where(s => s.Id == PermissionMatrixStamp.SingleId).Select(s => (long?)s.Stamp)
            .SingleOrDefaultAsync(cancellationToken) ?? 0;

    private sealed record Loaded(PermissionMatrix Matrix, long Stamp);
}

/// <summary>
/// Where refusals by <see cref="Permissions.Demand"/> are recorded. The host decides which to write: refusals inside
/// a Blazor circuit never become an HTTP 403, so nothing else would audit them.
/// </summary>
public interface IAccessRefusalAudit
{
    /// <summary>Records that <paramref name="user"/> was refused <paramref name="what"/> (<c>Module/Operation</c>).</summary>
    void Refused(ICurrentUser user, string what);
}
