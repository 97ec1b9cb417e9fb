using CrmBlazor.Domain.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// A circuit's or request's contexts: leased from the process's pool, each naming the scope's user as the
/// <see cref="CrmDbContext.Actor"/> the audit log writes down. Disposing a context returns it to the pool.
/// </summary>
public sealed class ActingContextFactory(PooledDbContextFactory<CrmDbContext> pool, ICurrentUser currentUser) : IDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext() => Acting(pool.CreateDbContext());

    public async Task<CrmDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        Acting(await pool.CreateDbContextAsync(cancellationToken));

    private CrmDbContext Acting(CrmDbContext db)
    {
        db.Actor = currentUser;
        return db;
    }
}
