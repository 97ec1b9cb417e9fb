using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// What a session is checked against (ASVS 8.3.2): the current <see cref="AppUser.SecurityStamp"/> of active users.
/// A host check, not a user's query: it reads as the system and returns nothing but the stamps.
/// </summary>
public sealed class SessionStamps(DatabaseSettings database, TimeProvider time)
{
    /// <summary>The stamp of each of <paramref name="userIds"/> that exists and is active; the others are absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> OfActiveAsync(IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken = default)
    {
        if (userIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }
        await using var db = DomainServices.CreateSystemContext(database, time);
        return await db.Users.AsNoTracking()
            .Where(u => userIds.Contains(u.Id) && u.IsActive)
            .ToDictionaryAsync(u => u.Id, u => u.SecurityStamp, cancellationToken);
    }

}
