using System.Text.Json;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>A user on Admin's users page: roles as the last token gave them, teams and the teams they supervise by name.</summary>
public sealed record UserListItem(
    Guid Id, int Version, string DisplayName, string? Email, IReadOnlySet<Role> Roles, IReadOnlyList<string> Teams, IReadOnlyList<string> SupervisorOf,
    bool IsActive, bool IsPreRegistered, DateTime? LastSignInAt, bool MayOwnCustomers, int CustomersOwned);

/// <summary>A user by name, for pickers.</summary>
public sealed record UserOption(Guid Id, string DisplayName);

public sealed record UserFilter(string? Search = null, bool IncludeInactive = true);

/// <summary>
/// Admin's users page (SPEC A1): everyone who has signed in and everyone pre-registered by e-mail/UPN; activate and
/// deactivate; hand a leaver's customers to another owner in one step.
/// </summary>
public sealed class UserAdmin(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, ILiveEvents liveEvents, TimeProvider time)
{
    /// <summary>How e-mail addresses and UPNs are compared: trimmed, lower case.</summary>
    public static string NormalizeEmail(string? email) => email?.Trim().ToLowerInvariant() ?? "";

    /// <summary>One page of users, searched by name or e-mail, by name then id.</summary>
    public async Task<PagedResult<UserListItem>> ListAsync(UserFilter filter, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (!filter.IncludeInactive)
        {
            users = users.Where(u => u.IsActive);
        }
        if (NormalizeEmail(filter.Search) is { Length: > 0 } search)
        {
            var pattern = $"%{search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";
            // E-mails are stored in lower case (sign-in and pre-registration normalise them), so the lower-cased search finds them on every provider.
            users = users.Where(u => EF.Functions.Like(u.DisplayName, pattern, "\\") || EF.Functions.Like(u.Email!, pattern, "\\"));
        }
        var total = await users.CountAsync(cancellationToken);
        pageSize = Math.Clamp(pageSize, 1, 200);
        var rows = await users.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Skip(Math.Max(page, 0) * pageSize).Take(pageSize)
            .Select(u => new
            {
                User = u,
                Teams = u.Memberships.Select(m => new { m.Team!.Name, m.IsSupervisor }).ToList(),
                Owned = db.Customers.Count(c => c.OwnerId == u.Id),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Select(p => new UserListItem(
            p.User.Id, p.User.Version, p.User.DisplayName, p.User.Email, p.User.RoleSet,
            p.Teams.Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            p.Teams.Where(t => t.IsSupervisor).Select(t => t.Name).Order(StringComparer.Ordinal).ToList(),
            p.User.IsActive, p.User.ExternalId is null, p.User.LastSignInAt, OwnerAssignment.MayOwnCustomers(p.User), p.Owned)).ToList();
        return new PagedResult<UserListItem>(items, total);
    }

    /// <summary>
    /// Registers someone before their first sign-in: the first token whose e-mail or UPN is <paramref name="email"/>
    /// takes this row (and its teams); from then on the row is keyed on that token's object id.
    /// </summary>
    public async Task<Guid> PreRegisterAsync(string? email, string? displayName, IReadOnlyCollection<Guid> teamIds, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        var errors = new List<ValidationError>();
        var normalized = ContactRules.NormalizeEmail(email, nameof(AppUser.Email), errors);
        if (normalized is null && errors.Count == 0)
        {
            errors.Add(new ValidationError(nameof(AppUser.Email), "Validation.Required", "Required."));
        }
        var name = displayName?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new ValidationError(nameof(AppUser.DisplayName), "Validation.Required", "Required."));
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (normalized is not null && await db.Users.AnyAsync(u => u.Email == normalized, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(AppUser.Email), "Validation.NameTaken", $"{normalized} exists already.", normalized));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        var teams = await db.Teams.Where(t => teamIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(cancellationToken);
        var user = new AppUser { DisplayName = name.Length > 100 ? name[..100] : name, Email = normalized };
        user.Memberships.AddRange(teams.Select(t => new TeamMembership { TeamId = t, UserId = user.Id, Source = MembershipSource.Manual }));
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return user.Id;
    }

    /// <summary>Turns a user's access on or off; an Admin does not switch themselves off.</summary>
    public async Task SetActiveAsync(Guid userId, int version, bool active, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        if (!active && userId == currentUser.UserId)
        {
            throw new AccessDeniedException("Error.DeactivateSelf", "You cannot deactivate your own account.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException(nameof(AppUser), userId);
        db.ExpectVersion(user, version);
        user.IsActive = active;
        // The save renews the security stamp: every instance drops this user's live connections at once.
        db.RecordLiveEvent(UserAccessChanged.For(userId));
        await db.SaveOrConflictAsync(user, cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
    }

    /// <summary>
    /// Hands every customer of <paramref name="fromUserId"/> (a leaver, typically) to <paramref name="toUserId"/> in one
    /// transaction: each customer's owner change lands in its own history (the audit interceptor's field change), and one
    /// audit row records the reassignment. The new owner must be active and allowed to own customers.
    /// </summary>
    public async Task<int> ReassignCustomersAsync(Guid fromUserId, Guid toUserId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var from = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == fromUserId, cancellationToken) ?? throw new NotFoundException(nameof(AppUser), fromUserId);
        var to = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == toUserId, cancellationToken) ?? throw new NotFoundException(nameof(AppUser), toUserId);
        if (fromUserId == toUserId || !OwnerAssignment.MayOwnCustomers(to))
        {
            throw new ValidationFailedException([new ValidationError("TargetOwner", "Validation.OwnerNotAssignable", "Choose an active user you may give customers to.")]);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var customers = await db.Customers.Where(c => c.OwnerId == fromUserId).ToListAsync(cancellationToken);
        foreach (var customer in customers)
        {
            customer.OwnerId = toUserId;
        }
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            UserId = currentUser.UserId,
            UserName = currentUser.DisplayName,
            Action = AuditAction.Update,
            EntityType = "CustomerOwnership",
            EntityId = fromUserId.ToString(),
            Changes = JsonSerializer.Serialize(new[]
            {
                new FieldChange("Owner", from.DisplayName, to.DisplayName),
                new FieldChange("Customers", null, customers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }),
        });
        var audience = await db.AudienceOfAsync(toUserId, cancellationToken);
        var (byId, byName) = (currentUser.UserId, currentUser.DisplayName);
        foreach (var customer in customers)
        {
            db.RecordLiveEvent(() => new CustomerChanged(customer.Id, customer.Version, byId, byName) { Audience = audience });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return customers.Count;
    }

    /// <summary>The users a leaver's customers may go to: active, allowed to own customers, not the leaver.</summary>
    public async Task<IReadOnlyList<UserOption>> ReassignTargetsAsync(Guid fromUserId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive && u.Id != fromUserId).OrderBy(u => u.DisplayName).ToListAsync(cancellationToken);
        return users.Where(OwnerAssignment.MayOwnCustomers).Select(u => new UserOption(u.Id, u.DisplayName)).ToList();
    }
}
