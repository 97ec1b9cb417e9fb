using CrmBlazor.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

/// <summary>The optimistic-concurrency steps every edit takes (ENGINEERING.md: a conflict, never a silent overwrite).</summary>
public static class Concurrency
{
    /// <summary>The version the user saw becomes the one the UPDATE checks: a newer row means someone else saved first.</summary>
    public static void ExpectVersion(this CrmDbContext db, AuditableEntity entity, int version) =>
        db.Entry(entity).Property(nameof(AuditableEntity.Version)).OriginalValue = version;

    /// <summary>Saves, turning a lost race on <paramref name="entity"/> into <see cref="ConcurrencyConflictException"/>.</summary>
    public static async Task SaveOrConflictAsync(this CrmDbContext db, AuditableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new ConcurrencyConflictException(entity.GetType().Name, entity.Id);
        }
    }

    /// <summary>
    /// Inserts a row unless its unique key exists, in the provider's own words (SQL Server's locked
    /// <c>IF NOT EXISTS</c>, otherwise <c>ON CONFLICT DO NOTHING</c>), and says whether this caller inserted it:
    /// the claim that makes a job or an event happen once across instances. SQL Server reports -1, not 0,
    /// when <c>IF NOT EXISTS</c> inserted nothing.
    /// </summary>
    public static async Task<bool> InsertUnlessExistsAsync(this CrmDbContext db, FormattableString sqlServer, FormattableString others, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync(db.Database.IsSqlServer() ? sqlServer : others, cancellationToken) > 0;
}
