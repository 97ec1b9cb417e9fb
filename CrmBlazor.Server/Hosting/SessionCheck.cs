using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using CrmBlazor.Domain.Access;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Hosting;

/// <summary>Settings of <c>Auth</c>: how long a session may last and how soon a change of access ends it (ASVS 8.3.2).</summary>
public sealed class AuthSessionOptions
{
    public const string Section = "Auth";

    /// <summary>A sign-in lasts at most this long, however active the user is (the cookie's sliding renewal stops here).</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>How often open circuits and hub connections are checked against the stored stamp; at most a minute.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a request may rely on a stamp read earlier; a change made on any instance clears it at once.</summary>
    public TimeSpan StampCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

public enum SessionVerdict
{
    Valid,

    /// <summary>Older than <see cref="AuthSessionOptions.AbsoluteLifetime"/>, or without a sign-in time.</summary>
    Expired,

    /// <summary>The user is deactivated or unknown, or their access changed since the sign-in (another stamp).</summary>
    Revoked,
}

/// <summary>
/// Whether a signed-in principal may go on: within its absolute lifetime, its user active and carrying the stamp it
/// signed in with. HTTP requests use a briefly cached stamp; circuits and hub connections read it fresh.
/// </summary>
public sealed class SessionCheck(SessionStamps stamps, IOptions<AuthSessionOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, (string? Stamp, DateTimeOffset ReadAt)> _cache = new();

    // Bumped by Forget: a read that started before the change must not put the old stamp back into the cache.
    private readonly ConcurrentDictionary<Guid, long> _changes = new();

    public async Task<SessionVerdict> CheckAsync(ClaimsPrincipal principal, bool cached, CancellationToken cancellationToken = default)
    {
        if (!IsWithinLifetime(principal))
        {
            return SessionVerdict.Expired;
        }
        if (UserIdOf(principal) is not { } userId)
        {
            return SessionVerdict.Revoked;
        }
        var current = cached ? await CachedStampAsync(userId, cancellationToken) : await FreshStampAsync(userId, cancellationToken);
        return current is not null && current == StampOf(principal) ? SessionVerdict.Valid : SessionVerdict.Revoked;
    }

    /// <summary>The verdict on each principal, reading the stamps of all their users in one query.</summary>
    public async Task<IReadOnlyList<SessionVerdict>> CheckAllAsync(IReadOnlyList<ClaimsPrincipal> principals, CancellationToken cancellationToken = default)
    {
        var userIds = principals.Select(UserIdOf).OfType<Guid>().ToHashSet();
        var changes = userIds.ToDictionary(u => u, u => _changes.GetValueOrDefault(u));
        var current = await stamps.OfActiveAsync(userIds, cancellationToken);
        foreach (var userId in userIds)
        {
            Remember(userId, current.GetValueOrDefault(userId), changes[userId]);
        }
        return principals.Select(p =>
            !IsWithinLifetime(p) ? SessionVerdict.Expired
            : UserIdOf(p) is { } u && current.TryGetValue(u, out var stamp) && stamp == StampOf(p) ? SessionVerdict.Valid
            : SessionVerdict.Revoked).ToList();
    }

    /// <summary>Drops the cached stamp: the user's access changed.</summary>
    public void Forget(Guid userId)
    {
        _changes.AddOrUpdate(userId, 1, (_, n) => n + 1);
        _cache.TryRemove(userId, out _);
    }

    public bool IsWithinLifetime(ClaimsPrincipal principal) =>
        SignedInAt(principal) is { } signedInAt && time.GetUtcNow() - signedInAt < options.Value.AbsoluteLifetime;

    public static Guid? UserIdOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(CrmClaims.UserId), out var id) ? id : null;

    public static string? StampOf(ClaimsPrincipal principal) => principal.FindFirstValue(CrmClaims.SecurityStamp);

    public static DateTimeOffset? SignedInAt(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(CrmClaims.SignedInAt), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private async Task<string?> CachedStampAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(userId, out var entry) && time.GetUtcNow() - entry.ReadAt < options.Value.StampCacheDuration)
        {
            return entry.Stamp;
        }
        return await FreshStampAsync(userId, cancellationToken);
    }

    private async Task<string?> FreshStampAsync(Guid userId, CancellationToken cancellationToken)
    {
        var changes = _changes.GetValueOrDefault(userId);
        var current = (await stamps.OfActiveAsync([userId], cancellationToken)).GetValueOrDefault(userId);
        Remember(userId, current, changes);
        return current;
    }

    private void Remember(Guid userId, string? stamp, long changesBeforeRead)
    {
        if (_changes.GetValueOrDefault(userId) == changesBeforeRead)
        {
            _cache[userId] = (stamp, time.GetUtcNow());
        }
    }
}
