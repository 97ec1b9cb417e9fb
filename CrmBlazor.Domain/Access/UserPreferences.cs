using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// The signed-in user's own settings (SPEC J1: the time zone they see times in). Each user reads and
/// changes only their own; no module permission is involved.
/// </summary>
public sealed class UserPreferences(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser)
{
    /// <summary>The zone the current user chose, or null for the company's.</summary>
    public async Task<string?> TimeZoneAsync(CancellationToken cancellationToken = default)
    {
        if (currentUser.UserId is not { } userId)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TimeZone).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sets the current user's zone; null or blank goes back to the company's. Only a zone this machine knows is accepted.</summary>
    public async Task SetTimeZoneAsync(string? zoneId, CancellationToken cancellationToken = default)
    {
        var userId = currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in to change your settings.");
        zoneId = string.IsNullOrWhiteSpace(zoneId) ? null : zoneId.Trim();
        if (zoneId is not null && !CompanyOptions.IsKnownZone(zoneId))
        {
            ValidationFailedException.ThrowIfAny([new ValidationError("TimeZone", "Validation.TimeZoneUnknown", $"Unknown time zone {zoneId}.", zoneId)]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException(nameof(AppUser), userId);
        user.TimeZone = zoneId;
        await db.SaveChangesAsync(cancellationToken);
    }
}
