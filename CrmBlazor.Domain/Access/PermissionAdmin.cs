using System.Text.Json;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// Admin's edits of the permission matrix (SPEC A2): one cell at a time, audited as a permission
/// change, and told to every instance so that all of them enforce the new matrix at once. The stored stamp is
/// bumped with the change, so an instance that missed the message catches up at its next check.
/// </summary>
public sealed class PermissionAdmin(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    TimeProvider time)
{
    public async Task SetAsync(Role role, Module module, Operation operation, bool allowed, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        if (role == Role.Admin)
        {
            throw new Common.ValidationFailedException([new Common.ValidationError("Role", "Validation.AdminKeepsAll", "Administrators keep every right.")]);
        }
        var before = permissions.Matrix.IsAllowed(role, module, operation);
        if (before == allowed)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.PermissionOverrides.SingleOrDefaultAsync(o => o.Role == role && o.Module == module && o.Operation == operation, cancellationToken);
        if (PermissionMatrix.Defaults.IsAllowed(role, module, operation) == allowed)
        {
            if (stored is not null)
            {
                db.PermissionOverrides.Remove(stored); // back to the default: no override needed
            }
        }
        else if (stored is null)
        {
            db.PermissionOverrides.Add(new PermissionOverride { Role = role, Module = module, Operation = operation, Allowed = allowed });
        }
        else
        {
            stored.Allowed = allowed;
        }
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = currentUser.UserId,
            UserName = currentUser.DisplayName,
            Action = AuditAction.PermissionChange,
            EntityType = "Permission",
            EntityId = $"{role}/{module}/{operation}",
            Changes = JsonSerializer.Serialize(new[] { new FieldChange("Allowed", before.ToString(), allowed.ToString()) }),
        });
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.RecordLiveEvent(new PermissionsChanged { Audience = [Audience.ForRole(role), Audience.ForRole(Role.Admin)] });
            await db.SaveChangesAsync(cancellationToken);
            await Permissions.BumpStampAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await permissions.ReloadAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
    }
}
