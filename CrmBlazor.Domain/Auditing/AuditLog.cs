using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Auditing;

public sealed record AuditSearch(string? User = null, string? EntityType = null, DateTime? From = null, DateTime? To = null, int Page = 0, int PageSize = 50);

/// <summary>Reads and records the audit log. Searching it is an Admin right (Audit.View).</summary>
public sealed class AuditLog(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, TimeProvider time)
{
    public async Task<PagedResult<AuditEntry>> SearchAsync(AuditSearch search, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Audit, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search.User))
        {
            query = query.Where(a => a.UserName.Contains(search.User));
        }
        if (!string.IsNullOrWhiteSpace(search.EntityType))
        {
            query = query.Where(a => a.EntityType == search.EntityType);
        }
        if (search.From is { } from)
        {
            query = query.Where(a => a.At >= from);
        }
        if (search.To is { } to)
        {
            query = query.Where(a => a.At < to);
        }
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(search.Page * search.PageSize).Take(search.PageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<AuditEntry>(items, total);
    }

    /// <summary>Records an action that is not a row change: sign-in, sign-out, export…</summary>
    public Task RecordAsync(AuditAction action, string entityType, string? entityId, Guid? userId, string userName, CancellationToken cancellationToken = default) =>
        RecordAsync(action, entityType, entityId, userId, userName, null, cancellationToken);

    /// <summary>Records an action that is not a row change, with what it covered (an export's filter and columns…) as <paramref name="details"/>.</summary>
    public async Task RecordAsync(AuditAction action, string entityType, string? entityId, Guid? userId, string userName,
        IReadOnlyList<FieldChange>? details, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = userId,
            UserName = userName,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Changes = details is null ? null : System.Text.Json.JsonSerializer.Serialize(details),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
