using CrmBlazor.Domain.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// The context factory a circuit or request sees: a context rented from the process's pool, told whom it acts for.
/// Disposing the context returns it to the pool.
/// </summary>
internal sealed class ActingContextFactory(PooledDbContextFactory<CrmDbContext> pool, ICurrentUser user) : IDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext()
    {
        var db = pool.CreateDbContext();
        db.Actor = user;
        return db;
    }

    public async Task<CrmDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var db = await pool.CreateDbContextAsync(cancellationToken);
        db.Actor = user;
        return db;
    }
}
