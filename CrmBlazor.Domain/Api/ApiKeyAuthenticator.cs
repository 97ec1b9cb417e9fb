using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using System.Collections.Concurrent;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Api;

/// <summary>Who a valid key acts as: its service account, with the account's roles and the teams it supervises.</summary>
public sealed record ApiKeyCaller(Guid KeyId, string KeyName, Guid UserId, string DisplayName, IReadOnlySet<Role> Roles, IReadOnlyList<Guid> SupervisedTeamIds);

/// <summary>
/// Checks a presented token and stamps the key's last use at most once per <see cref="LastUsedResolution"/>. It runs on
/// every API call, so a key read from the store is kept for at most <see cref="CacheDuration"/> (docs/decisions/0026):
/// every instance forgets them all at once when it hears that an account's access changed (<see cref="Live.UserAccessChanged"/>:
/// revoking a key deactivates its account and tells every instance in the same transaction) or that it may have missed
/// events (<see cref="Live.LiveResync"/>); the expiry is checked on every call against the clock. The key itself is read
/// through its own context options (built once, without the audit and live interceptors: it only reads, and its one
/// write is an <c>ExecuteUpdate</c>, which they never see) and a compiled query.
/// </summary>
public sealed class ApiKeyAuthenticator(DatabaseSettings database, TimeProvider time)
{
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>How long a key read from the store is trusted without hearing of a change; the session stamps' bound too.</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);

    private sealed record CachedKey(StoredKey Key, DateTimeOffset ReadAt);

    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    // Bumped by Forget: a read that started before a change must not put what it read back into the cache.
    private long _generation;

    private sealed record StoredKey(
        Guid Id, string Name, string SecretHash, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt, Guid UserId, string DisplayName,
        string Roles, bool IsActive, List<Guid> Supervised);

    // Per instance, not static: a compiled query belongs to one model, and each provider has its own (tests run both in one process).
    private readonly Func<CrmDbContext, string, CancellationToken, Task<StoredKey?>> _findKey = EF.CompileAsyncQuery(
        (CrmDbContext db, string prefix, CancellationToken _) => db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix)
            .Select(k => new StoredKey(
                k.Id, k.Name, k.SecretHash, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.UserId, k.User!.DisplayName, k.User.Roles, k.User.IsActive,
                db.TeamMemberships.Where(m => m.UserId == k.UserId && m.IsSupervisor).Select(m => m.TeamId).ToList()))
            .SingleOrDefault());

    private readonly DbContextOptions<CrmDbContext> _options = ReadOnlyOptions(database);

    /// <summary>The caller a token stands for; null when it is malformed, unknown, wrong, expired or revoked, or its account is off.</summary>
    public async Task<ApiKeyCaller?> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecrets.TryParse(token, out var prefix, out var secret))
        {
            return null;
        }
        var now = time.GetUtcNow();
        var key = await FindAsync(prefix, now, cancellationToken);
        if (key is null || !ApiKeySecrets.Matches(secret, key.SecretHash) || key.RevokedAt is not null || key.ExpiresAt <= now.UtcDateTime || !key.IsActive)
        {
            return null;
        }
        if (key.LastUsedAt is not { } last || now.UtcDateTime - last >= LastUsedResolution)
        {
            await StampLastUseAsync(prefix, key, now.UtcDateTime, cancellationToken);
        }
        return new ApiKeyCaller(key.Id, key.Name, key.UserId, key.DisplayName, AppUser.ParseRoles(key.Roles), key.Supervised);
    }

    /// <summary>Drops every key read from the store: the next call on this instance reads its key anew.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }

    private async Task<StoredKey?> FindAsync(string prefix, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(prefix, out var cached) && now - cached.ReadAt < CacheDuration)
        {
            return cached.Key;
        }
        var generation = Interlocked.Read(ref _generation);
        StoredKey? key;
        await using (var db = new CrmDbContext(_options))
        {
            key = await _findKey(db, prefix, cancellationToken);
        }
        if (key is not null && Interlocked.Read(ref _generation) == generation)
        {
            _cache[prefix] = new CachedKey(key, now);
        }
        return key;
    }

    private async Task StampLastUseAsync(string prefix, StoredKey key, DateTime now, CancellationToken cancellationToken)
    {
        // Conditional, outside the audit log: of two instances stamping the same minute, one writes.
        var staleBefore = now - LastUsedResolution;
        await using (var db = new CrmDbContext(_options))
        {
            await db.ApiKeys.Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt <= staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }
        if (_cache.TryGetValue(prefix, out var cached) && cached.Key.Id == key.Id)
        {
            _cache.TryUpdate(prefix, cached with { Key = cached.Key with { LastUsedAt = now } }, cached);
        }
    }

    private static DbContextOptions<CrmDbContext> ReadOnlyOptions(DatabaseSettings database)
    {
        var options = new DbContextOptionsBuilder<CrmDbContext>();
        database.Apply(options);
        return options.Options;
    }
}
