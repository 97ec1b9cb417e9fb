using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// Admin's changes to who may use CrmBlazor (ASVS 8.3.2): deactivating a user or changing their roles renews their
/// security stamp (<see cref="SecurityStampInterceptor"/>, in the same save, audited as a change of the user) and tells
/// every instance through <see cref="UserAccessChanged"/>, which ends the user's open sessions there at once.
/// </summary>
public sealed class UserAccess(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, ILiveEvents liveEvents)
{
    public Task DeactivateAsync(Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, u => u.IsActive = false, cancellationToken);

    public Task ReactivateAsync(Guid userId, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, u => u.IsActive = true, cancellationToken);

    public Task SetRolesAsync(Guid userId, IEnumerable<Role> roles, CancellationToken cancellationToken = default)
    {
        var formatted = AppUser.FormatRoles(roles);
        return ChangeAsync(userId, u => u.Roles = formatted, cancellationToken);
    }

    private async Task ChangeAsync(Guid userId, Action<AppUser> change, CancellationToken cancellationToken)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new Common.NotFoundException(nameof(AppUser), userId);
        var stamp = user.SecurityStamp;
        change(user);
        // Built as the save goes out, after the stamp interceptor ran: told only if access really changed.
        db.RecordLiveEvent(() => user.SecurityStamp != stamp ? UserAccessChanged.For(userId) : null);
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
    }
}
