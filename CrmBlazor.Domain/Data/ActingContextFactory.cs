using CrmBlazor.Domain.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// The context factory a circuit or request sees: a context rented from the process's pool, told whom it acts for.
/// Disposing the context returns it to the pool.
/// </summary>
internal sealed class ActingContextFactory(ActingContextFactory.Pool pool, ICurrentUser user) : IDbContextFactory<CrmDbContext>
{
    /// <summary>The process's pool, reachable only through this factory: a rented context keeps its last renter's user.</summary>
    internal sealed record Pool(PooledDbContextFactory<CrmDbContext> Contexts);

    public CrmDbContext CreateDbContext()
    {
        var db = pool.Contexts.CreateDbContext();
        db.Actor = user;
        return db;
    }

    public async Task<CrmDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var db = await pool.Contexts.CreateDbContextAsync(cancellationToken);
        db.Actor = user;
        return db;
    }
}
