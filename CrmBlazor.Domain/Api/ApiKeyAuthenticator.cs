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
/// </summary>
public sealed class ApiKeyAuthenticator(DatabaseSettings database, TimeProvider time)
{
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>The caller a token stands for; null when it is malformed, unknown, wrong, expired or revoked, or its account is off.</summary>
    public async Task<ApiKeyCaller?> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecrets.TryParse(token, out var prefix, out var secret))
        {
            return null;
        }
        await using var db = DomainServices.CreateSystemContext(database, time);
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix)
            .Select(k => new
            {
                k.Id, k.Name, k.SecretHash, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.UserId, k.User!.DisplayName, k.User.Roles, k.User.IsActive,
                Supervised = db.TeamMemberships.Where(m => m.UserId == k.UserId && m.IsSupervisor).Select(m => m.TeamId).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken); // one query per call: it runs on every API request
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
}
