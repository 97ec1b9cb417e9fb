using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Api;

/// <summary>Who a valid key acts as: its service account, with the account's roles and the teams it supervises.</summary>
public sealed record ApiKeyCaller(Guid KeyId, string KeyName, Guid UserId, string DisplayName, IReadOnlySet<Role> Roles, IReadOnlyList<Guid> SupervisedTeamIds);

/// <summary>
/// Checks a presented token against the store on every request — no cache, so a revocation holds on every
/// instance at once — and stamps the key's last use at most once per <see cref="LastUsedResolution"/>.
/// It runs on every API call, so it keeps its own context options (built once, without the audit and live interceptors:
/// it only reads, and its one write is an <c>ExecuteUpdate</c>, which they never see) and a compiled query.
/// </summary>
public sealed class ApiKeyAuthenticator(DatabaseSettings database, TimeProvider time)
{
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

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
        await using var db = new CrmDbContext(_options);
        var key = await _findKey(db, prefix, cancellationToken); // one query per call: it runs on every API request
        var now = time.GetUtcNow().UtcDateTime;
        if (key is null || !ApiKeySecrets.Matches(secret, key.SecretHash) || key.RevokedAt is not null || key.ExpiresAt <= now || !key.IsActive)
        {
            return null;
        }
        if (key.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            // Conditional, outside the audit log: of two instances stamping the same minute, one writes.
            var staleBefore = now - LastUsedResolution;
            await db.ApiKeys.Where(k => k.Id == key.Id && (k.LastUsedAt == null || k.LastUsedAt <= staleBefore))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }
        return new ApiKeyCaller(key.Id, key.Name, key.UserId, key.DisplayName, AppUser.ParseRoles(key.Roles), key.Supervised);
    }

    private static DbContextOptions<CrmDbContext> ReadOnlyOptions(DatabaseSettings database)
    {
        var options = new DbContextOptionsBuilder<CrmDbContext>();
        database.Apply(options);
        return options.Options;
    }
}
