using System.Globalization;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmBlazor.Domain.Auditing;

/// <summary>
/// On every save: stamps <see cref="AuditableEntity"/> rows, bumps their <see cref="AuditableEntity.Version"/>
/// (the old value stays the concurrency check), writes one <see cref="AuditEntry"/> per created, updated
/// or deleted row in the same transaction, and refuses any change to an existing audit entry.
/// </summary>
public sealed class AuditInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    // Bookkeeping, not content: stamps, the version, the sign-in time (sign-ins have their own entries), a key's hash,
    // a deal's copy of its customer's owner (kept by CustomerOwnerFollower; the customer's change is audited), and the
    // data-quality flags derived from audited fields.
    private static readonly HashSet<string> UnauditedFields =
        [nameof(AuditableEntity.CreatedAt), nameof(AuditableEntity.CreatedBy), nameof(AuditableEntity.UpdatedAt), nameof(AuditableEntity.UpdatedBy),
         nameof(AuditableEntity.Version), nameof(AppUser.LastSignInAt), nameof(Api.ApiKey.SecretHash),
         nameof(Pipeline.Opportunity.CustomerOwnerId), nameof(Customers.Contact.MobileInvalid), nameof(Customers.Customer.QualityProblems)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Audit(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Audit(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Audit(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        context.ChangeTracker.DetectChanges();
        var now = time.GetUtcNow().UtcDateTime;
        ICurrentUser? actor = null;
        ICurrentUser Actor() => actor ??= (context as Data.CrmDbContext)?.Actor
            ?? throw new InvalidOperationException("A save needs to know whom it is for: take the context from the scope's IDbContextFactory, or DomainServices.CreateSystemContext.");
        var entries = new List<AuditEntry>();

        foreach (var entry in context.ChangeTracker.Entries().ToList())
        {
            if (entry.Entity is AuditEntry && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Audit entries are append-only: they cannot be changed or deleted.");
            }
            if (entry.State is EntityState.Unchanged or EntityState.Detached || entry.Entity is not (AuditableEntity or IAudited))
            {
                continue;
            }
            var entity = entry.Entity as AuditableEntity;

            switch (entry.State)
            {
                case EntityState.Added:
                    if (entity is not null)
                    {
                        entity.CreatedAt = entity.UpdatedAt = now;
                        entity.CreatedBy = entity.UpdatedBy = Actor().UserId;
                        entity.Version = 1;
                    }
                    entries.Add(NewEntry(Actor(), entry, AuditAction.Create, now,
                        entry.Properties.Where(IsAudited).Select(p => new FieldChange(p.Metadata.Name, null, Format(p.CurrentValue)))));
                    break;
                case EntityState.Modified:
                    var changes = entry.Properties.Where(p => p.IsModified && IsAudited(p) && !Equals(p.OriginalValue, p.CurrentValue))
                        .Select(p => new FieldChange(p.Metadata.Name, Format(p.OriginalValue), Format(p.CurrentValue)))
                        .ToList();
                    if (entity is not null)
                    {
                        entity.UpdatedAt = now;
                        entity.UpdatedBy = Actor().UserId;
                        var version = entry.Property(nameof(AuditableEntity.Version));
                        version.CurrentValue = (int)version.OriginalValue! + 1;
                    }
                    if (changes.Count > 0)
                    {
                        entries.Add(NewEntry(Actor(), entry, AuditAction.Update, now, changes));
                    }
                    break;
                case EntityState.Deleted:
                    entries.Add(NewEntry(Actor(), entry, AuditAction.Delete, now,
                        entry.Properties.Where(IsAudited).Select(p => new FieldChange(p.Metadata.Name, Format(p.OriginalValue), null))));
                    break;
            }
        }

        context.AddRange(entries);
    }

    private static AuditEntry NewEntry(ICurrentUser actor, EntityEntry entry, AuditAction action, DateTime now, IEnumerable<FieldChange> changes) => new()
    {
        At = now,
        UserId = actor.UserId,
        UserName = actor.DisplayName,
        Action = action,
        EntityType = entry.Metadata.ClrType.Name,
        EntityId = string.Join('/', entry.Metadata.FindPrimaryKey()!.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue))),
        Changes = JsonSerializer.Serialize(changes.ToList()),
    };

    private static bool IsAudited(PropertyEntry p) => !UnauditedFields.Contains(p.Metadata.Name) && (!p.Metadata.IsPrimaryKey() || p.Metadata.IsForeignKey());

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
