using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Api;

/// <summary>What an Admin fills in to issue a key: the system's name, one role, a team for scope, the expiry (UTC).</summary>
public sealed record ApiKeyInput(string Name, Role Role, Guid? TeamId, DateTime ExpiresAt);

/// <summary>A key as the Admin lists it: never the secret.</summary>
public sealed record ApiKeySummary(
    Guid Id, string Name, string Prefix, Role Role, Guid? TeamId, string? TeamName, Guid UserId,
    DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt);

/// <summary>The one moment the token exists outside the caller's system: the result of <see cref="ApiKeyService.IssueAsync"/>.</summary>
public sealed record IssuedApiKey(ApiKeySummary Key, string Token);

/// <summary>
/// Admin's keys (Administration/Configure): issue, list, revoke. Each key gets its own service account in
/// <see cref="CrmDbContext.Users"/>, so its calls meet the same matrix, scope and audit as a person's.
/// </summary>
public sealed class ApiKeyService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock, ILiveEvents liveEvents)
{
    public const string DisplayNamePrefix = "API: ";

    /// <summary>How a key's service account's <see cref="AppUser.ExternalId"/> begins: never an Entra object id.</summary>
    public const string ExternalIdPrefix = "api-key:";

    public async Task<IssuedApiKey> IssueAsync(ApiKeyInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = input.Name.Trim();
        var errors = new List<ValidationError>();
        if (name.Length == 0)
        {
            errors.Add(new ValidationError(nameof(ApiKeyInput.Name), "Validation.Required", "Required."));
        }
        else if (name.Length > 80)
        {
            errors.Add(new ValidationError(nameof(ApiKeyInput.Name), "Validation.ApiKeyNameTooLong", "At most 80 characters.", 80));
        }
        if (input.ExpiresAt <= clock.UtcNow)
        {
            errors.Add(new ValidationError(nameof(ApiKeyInput.ExpiresAt), "Validation.ApiKeyExpiryPast", "The expiry must be in the future."));
        }
        if (input.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(ApiKeyInput.TeamId), "Validation.ApiKeyTeamUnknown", "Choose an existing team."));
        }
        ValidationFailedException.ThrowIfAny(errors);

        var account = new AppUser
        {
            DisplayName = DisplayNamePrefix + name,
            Roles = AppUser.FormatRoles([input.Role]),
        };
        var secret = ApiKeySecrets.Create();
        var key = new ApiKey
        {
            Name = name,
            Prefix = secret.Prefix,
            SecretHash = secret.Hash,
            Role = input.Role,
            TeamId = input.TeamId,
            UserId = account.Id,
            ExpiresAt = DateTime.SpecifyKind(input.ExpiresAt, DateTimeKind.Utc),
        };
        // Nobody signs in as a service account: its external id names the key, never an Entra object id.
        account.ExternalId = ExternalIdPrefix + key.Id;
        if (input.TeamId is { } team)
        {
            account.Memberships.Add(new TeamMembership { TeamId = team, UserId = account.Id, IsSupervisor = input.Role == Role.Supervisor, Source = MembershipSource.Manual });
        }
        db.Users.Add(account);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApiKey((await SummariesAsync(db, k => k.Id == key.Id, cancellationToken)).Single(), secret.Token);
    }

    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await SummariesAsync(db, _ => true, cancellationToken);
    }

    /// <summary>
    /// Ends the key at once: its account is deactivated and every instance told in the same transaction
    /// (<see cref="UserAccessChanged"/>), so each forgets the keys it had read (<see cref="ApiKeyAuthenticator.Forget"/>).
    /// </summary>
    public async Task RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.Include(k => k.User).SingleOrDefaultAsync(k => k.Id == id, cancellationToken)
            ?? throw new NotFoundException(nameof(ApiKey), id);
        if (key.RevokedAt is not null)
        {
            return;
        }
        key.RevokedAt = clock.UtcNow;
        key.User!.IsActive = false;
        db.RecordLiveEvent(UserAccessChanged.For(key.UserId));
        await db.SaveChangesAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken); // after the commit: this instance and the others forget the key
    }

    private static async Task<IReadOnlyList<ApiKeySummary>> SummariesAsync(CrmDbContext db, System.Linq.Expressions.Expression<Func<ApiKey, bool>> which, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().Where(which).OrderBy(k => k.Name).ThenBy(k => k.Id)
            .Select(k => new ApiKeySummary(k.Id, k.Name, k.Prefix, k.Role, k.TeamId,
                db.Teams.Where(t => t.Id == k.TeamId).Select(t => t.Name).FirstOrDefault(), k.UserId,
                k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt))
            .ToListAsync(cancellationToken);
}
