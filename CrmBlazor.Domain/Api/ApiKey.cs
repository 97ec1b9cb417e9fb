using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Api;

/// <summary>
/// A key an Admin issued for a system without Entra (issue 16). It authenticates as its own service account
/// (<see cref="User"/>, "API: name"), so the permission matrix, record scope and audit log treat its calls as
/// that user's. Only the SHA-256 of the secret is kept; <see cref="Prefix"/> finds the row.
/// </summary>
public sealed class ApiKey : AuditableEntity
{
    public required string Name { get; set; }

    /// <summary>The public part of the token (<c>crm_{prefix}_{secret}</c>), unique: the lookup.</summary>
    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the secret part.</summary>
    public required string SecretHash { get; set; }

    public Role Role { get; set; }

    /// <summary>The team the service account belongs to (a Supervisor key supervises it).</summary>
    public Guid? TeamId { get; set; }

    public Guid UserId { get; set; }
    public AppUser? User { get; set; }

    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>Stamped at most once per <see cref="ApiKeyAuthenticator.LastUsedResolution"/>, outside the audit log.</summary>
    public DateTime? LastUsedAt { get; set; }
}
