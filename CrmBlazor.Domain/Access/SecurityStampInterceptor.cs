using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// A row that gives a user access (a team membership, a supervision): removing or changing one renews that user's
/// <see cref="AppUser.SecurityStamp"/>, so their open sessions end and pick the change up. Adding one does not: more
/// access is read live (record scope reads memberships on every call), and ending the session would throw away the
/// page of a supervisor who was just given a second team.
/// </summary>
public interface IGrantsUserAccess
{
    Guid UserId { get; }
}

/// <summary>
/// On every save, renews the <see cref="AppUser.SecurityStamp"/> of each user whose access changes in it: deactivated
/// or reactivated, roles changed (by an Admin, or by a sign-in whose token brings other roles), or an
/// <see cref="IGrantsUserAccess"/> row removed or changed. Whatever code path makes the change, the stamp follows.
/// </summary>
public sealed class SecurityStampInterceptor : SaveChangesInterceptor
{
    private static readonly string[] AccessFields = [nameof(AppUser.IsActive), nameof(AppUser.Roles)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            foreach (var userId in UsersGranted(context))
            {
                Renew(context.Find<AppUser>(userId));
            }
            RenewChangedUsers(context);
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            foreach (var userId in UsersGranted(context))
            {
                Renew(await context.FindAsync<AppUser>([userId], cancellationToken));
            }
            RenewChangedUsers(context);
        }
        return result;
    }

    private static List<Guid> UsersGranted(DbContext context)
    {
        context.ChangeTracker.DetectChanges();
        return context.ChangeTracker.Entries()
            .Where(e => e.Entity is IGrantsUserAccess && e.State is EntityState.Deleted or EntityState.Modified)
            .SelectMany(e => new[] { ((IGrantsUserAccess)e.Entity).UserId, OriginalUserId(e) })
            .OfType<Guid>()
            .Distinct()
            .ToList();
    }

    private static Guid? OriginalUserId(EntityEntry entry) =>
        entry.State == EntityState.Modified ? entry.Property(nameof(IGrantsUserAccess.UserId)).OriginalValue as Guid? : null;

    private static void RenewChangedUsers(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries<AppUser>().Where(e => e.State == EntityState.Modified).ToList())
        {
            if (AccessFields.Any(f => entry.Property(f).IsModified && !Equals(entry.Property(f).OriginalValue, entry.Property(f).CurrentValue)))
            {
                Renew(entry.Entity);
            }
        }
    }

    private static void Renew(AppUser? user)
    {
        if (user is not null)
        {
            user.SecurityStamp = AppUser.NewSecurityStamp();
        }
    }
}
