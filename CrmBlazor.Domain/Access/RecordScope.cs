using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

/// <summary>
/// Which customers a user may see (SPEC A3), as a query filter so that lists, counts, search and
/// direct lookups all apply the same rule. Whatever hangs off a customer inherits its scope.
/// </summary>
public static class RecordScope
{
    /// <summary>Equal for two users exactly when <see cref="VisibleTo"/> gives them the same customers: everyone's, or the user's own.</summary>
    public static string Key(ICurrentUser user) => SeesEveryone(user) ? "*" : user.UserId?.ToString() ?? "-";

    /// <summary>Whether the user's scope is every customer (so a query need not join the customers at all).</summary>
    public static bool SeesEveryone(ICurrentUser user) =>
        user.IsSystem || user.IsIn(Role.Admin) || user.IsIn(Role.CustomerService) || user.IsIn(Role.Analyst);

    /// <summary>
    /// <see cref="VisibleTo"/>'s rule as values, for a compiled query that writes it with parameters (one plan for every caller):
    /// a customer is visible when <c>SeesEveryone</c>, or its owner is <c>UserId</c>, or <c>Supervises</c> and its owner is in a
    /// team <c>UserId</c> supervises. Someone not signed in gets an id no one has.
    /// </summary>
    public static (bool SeesEveryone, Guid UserId, bool Supervises) AsParameters(ICurrentUser user) =>
        SeesEveryone(user) ? (true, Guid.Empty, false)
        : !user.IsAuthenticated || user.UserId is not { } userId ? (false, Guid.Empty, false)
        : (false, userId, user.IsIn(Role.Supervisor));

    public static IQueryable<Customer> VisibleTo(this IQueryable<Customer> customers, ICurrentUser user)
    {
        if (SeesEveryone(user))
        {
            return customers;
        }
        if (!user.IsAuthenticated || user.UserId is not { } userId)
        {
            return customers.Where(_ => false);
        }
        if (user.IsIn(Role.Supervisor))
        {
            // Memberships as they are now, not as the sign-in saw them: a team an Admin adds counts at once.
            return customers.Where(c => c.OwnerId == userId
                || c.Owner!.Memberships.Any(m => m.Team!.Members.Any(s => s.UserId == userId && s.IsSupervisor)));
        }
        return customers.Where(c => c.OwnerId == userId);
    }

    /// <summary>
    /// Why a customer the caller asked for is not in their scope: someone else's (refused, said so) or
    /// not there at all. Every feature that loads a customer by id throws this.
    /// </summary>
    public static async Task<CrmException> RefusalAsync(IQueryable<Customer> allCustomers, Guid id, CancellationToken cancellationToken) =>
        await allCustomers.AnyAsync(c => c.Id == id, cancellationToken)
            ? new AccessDeniedException("Error.CustomerOutOfScope", "This customer belongs to someone else's portfolio.")
            : new NotFoundException(nameof(Customer), id);

    /// <summary>The customer, with its owner, if the user may see it; otherwise the refusal every feature gives.</summary>
    public static async Task<Customer> VisibleCustomerAsync(this Data.CrmDbContext db, ICurrentUser user, Guid id, CancellationToken cancellationToken) =>
        await db.Customers.VisibleTo(user).Include(c => c.Owner).ThenInclude(o => o!.Memberships).SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
        ?? throw await RefusalAsync(db.Customers, id, cancellationToken);

    /// <summary>
    /// Whether <paramref name="userId"/> is an active user whose record scope holds the customer: whom a demand,
    /// a task or a to-do on it may be given to, so they can open what they are given.
    /// </summary>
    public static async Task<bool> UserMaySeeAsync(this Data.CrmDbContext db, Guid userId, Guid customerId, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId && u.IsActive, cancellationToken);
        return user is not null && await db.Customers.VisibleTo(UserScope.Of(user)).AnyAsync(c => c.Id == customerId, cancellationToken);
    }

    /// <summary>
    /// The people a picker offers (active, signed in at least once, no service accounts, in the same order: as
    /// <see cref="UserDirectory.OptionsAsync"/>) whose record scope holds the customer (hiding is not the check: <see cref="UserMaySeeAsync"/> is).
    /// <see cref="VisibleTo"/> itself decides, run over the one loaded customer.
    /// </summary>
    public static async Task<IReadOnlyList<UserOption>> PeopleWhoMaySeeAsync(this Data.CrmDbContext db, Guid customerId, CancellationToken cancellationToken)
    {
        // Identity resolution: the include goes round (owner → memberships → team → members), which plain no-tracking refuses.
        var customer = await db.Customers.AsNoTrackingWithIdentityResolution()
            .Include(c => c.Owner).ThenInclude(o => o!.Memberships).ThenInclude(m => m.Team).ThenInclude(t => t!.Members)
            .AsSplitQuery().SingleOrDefaultAsync(c => c.Id == customerId, cancellationToken);
        if (customer is null)
        {
            return [];
        }
        customer.Owner ??= new AppUser { ExternalId = "", DisplayName = "" }; // nobody's customer: no team sees it
        var people = await UserDirectory.ActivePeople(db).ToListAsync(cancellationToken);
        return UserDirectory.InPickerOrder(people.Where(u => new[] { customer }.AsQueryable().VisibleTo(UserScope.Of(u)).Any()), u => u.Roles, u => u.DisplayName)
            .Select(u => new UserOption(u.Id, u.DisplayName)).ToList();
    }

    /// <summary>The live-event audience of a customer loaded with its owner's memberships.</summary>
    public static IReadOnlyList<string> AudienceOf(Customer customer) =>
        AudienceOf(customer.OwnerId, customer.Owner?.Memberships.Select(m => m.TeamId) ?? []);

    /// <summary>The live-event audience of a customer owned by <paramref name="ownerId"/>, its teams read now.</summary>
    public static async Task<IReadOnlyList<string>> AudienceOfAsync(this Data.CrmDbContext db, Guid? ownerId, CancellationToken cancellationToken) =>
        AudienceOf(ownerId, ownerId is { } owner ? await db.TeamMemberships.Where(m => m.UserId == owner).Select(m => m.TeamId).ToListAsync(cancellationToken) : []);

    /// <summary>The live-event audience of a customer: who may be told it changed.</summary>
    public static IReadOnlyList<string> AudienceOf(Guid? ownerId, IEnumerable<Guid> ownerTeamIds)
    {
        var audience = new List<string>
        {
            Audience.ForRole(Role.Admin),
            Audience.ForRole(Role.CustomerService),
            Audience.ForRole(Role.Analyst),
        };
        if (ownerId is { } o)
        {
            audience.Add(Audience.ForUser(o));
        }
        audience.AddRange(ownerTeamIds.Distinct().Select(Audience.ForTeam));
        return audience;
    }
}

/// <summary>Names of the groups a live event is addressed to; a connection joins the ones that fit its user.</summary>
public static class Audience
{
    public static string ForUser(Guid userId) => $"user:{userId}";
    public static string ForTeam(Guid teamId) => $"team:{teamId}";
    public static string ForRole(Role role) => $"role:{role}";

    /// <summary>Whether an event addressed to <paramref name="audience"/> may reach this user.</summary>
    public static bool Includes(IReadOnlyList<string> audience, ICurrentUser user) => user.IsSystem || Of(user).Any(audience.Contains);

    public static IReadOnlyList<string> Of(ICurrentUser user)
    {
        var groups = user.Roles.Select(ForRole).ToList();
        if (user.UserId is { } u)
        {
            groups.Add(ForUser(u));
        }
        if (user.IsIn(Role.Supervisor))
        {
            groups.AddRange(user.SupervisedTeamIds.Select(ForTeam));
        }
        return groups;
    }
}

/// <summary>
/// Another user as the record scope sees them: whom a demand or task may be given to. Their teams are read by
/// the scope itself from the database; <see cref="SupervisedTeamIds"/> is only for live-event audiences.
/// </summary>
public sealed record UserScope(Guid? UserId, IReadOnlySet<Role> Roles) : ICurrentUser
{
    public bool IsAuthenticated => UserId is not null;
    public string DisplayName => "";
    public bool IsSystem => false;
    public IReadOnlyCollection<Guid> SupervisedTeamIds => [];

    public static UserScope Of(AppUser user) => new(user.Id, user.RoleSet);
}
