using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

public sealed record SupportGroupInput(
    string? Name, AssignmentStrategy Strategy, bool AutoAssign, IReadOnlyList<Guid> Agents, IReadOnlyList<Guid> Supervisors, IReadOnlyList<string> Categories);

public sealed record SupportGroupMemberItem(Guid UserId, string DisplayName, SupportGroupRole Role, bool IsActive, bool IsAway);

public sealed record SupportGroupItem(
    Guid Id, string Name, AssignmentStrategy Strategy, bool AutoAssign, int Version, IReadOnlyList<string> Categories, IReadOnlyList<SupportGroupMemberItem> Members);

/// <summary>Admin's support groups (SPEC G2): name, members, the categories each takes, the strategy; and who is away.</summary>
public sealed class SupportGroupService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public async Task<IReadOnlyList<SupportGroupItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var groups = await db.SupportGroups.AsNoTracking().Include(g => g.Members).Include(g => g.Categories).OrderBy(g => g.Name).ToListAsync(cancellationToken);
        var userIds = groups.SelectMany(g => g.Members).Select(m => m.UserId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        return groups.Select(g => new SupportGroupItem(g.Id, g.Name, g.Strategy, g.AutoAssign, g.Version,
            g.Categories.Select(c => c.Category).Order(StringComparer.Ordinal).ToList(),
            g.Members.Select(m => users[m.UserId]).Zip(g.Members)
                .Select(x => new SupportGroupMemberItem(x.Second.UserId, x.First.DisplayName, x.Second.Role, x.First.IsActive, x.First.IsAway))
                .OrderBy(m => m.Role).ThenBy(m => m.DisplayName, StringComparer.Ordinal).ToList())).ToList();
    }

    public async Task<Guid> CreateAsync(SupportGroupInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var group = new SupportGroup { Name = "" };
        await ApplyAsync(db, group, input, cancellationToken);
        db.SupportGroups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        return group.Id;
    }

    public async Task UpdateAsync(Guid id, int version, SupportGroupInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var group = await db.SupportGroups.Include(g => g.Members).Include(g => g.Categories).SingleOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw new NotFoundException(nameof(SupportGroup), id);
        db.ExpectVersion(group, version);
        await ApplyAsync(db, group, input, cancellationToken);
        await db.SaveOrConflictAsync(group, cancellationToken);
    }

    /// <summary>Marks a user away (or back): themselves, or anyone for a supervisor or an Admin.</summary>
    public async Task SetAwayAsync(Guid userId, bool away, CancellationToken cancellationToken = default)
    {
        if (userId != currentUser.UserId && !(currentUser.IsIn(Role.Supervisor) || currentUser.IsIn(Role.Admin) || currentUser.IsSystem))
        {
            throw new AccessDeniedException("Error.AwayNotAllowed", "Only a supervisor or an Admin marks someone else away.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) ?? throw new NotFoundException(nameof(AppUser), userId);
        user.IsAway = away;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task ApplyAsync(CrmDbContext db, SupportGroup group, SupportGroupInput input, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(new ValidationError(nameof(SupportGroup.Name), "Validation.Required", "Required."));
        }
        else if (await db.SupportGroups.AnyAsync(g => g.Name == name && g.Id != group.Id, cancellationToken))
        {
            errors.Add(new ValidationError(nameof(SupportGroup.Name), "Validation.NameTaken", $"{name} exists already.", name));
        }
        var categories = input.Categories.Distinct().ToList();
        var known = await db.DictionaryItems.Where(d => d.Kind == DictionaryKind.TicketCategory && categories.Contains(d.Code)).Select(d => d.Code).ToListAsync(cancellationToken);
        foreach (var unknown in categories.Except(known))
        {
            errors.Add(new ValidationError(nameof(SupportGroup.Categories), "Validation.DictionaryValueUnknown", $"{unknown} is not an active choice.", unknown));
        }
        var taken = await db.SupportGroupCategories.Where(c => categories.Contains(c.Category) && c.GroupId != group.Id).Select(c => c.Category).ToListAsync(cancellationToken);
        foreach (var category in taken)
        {
            errors.Add(new ValidationError(nameof(SupportGroup.Categories), "Validation.CategoryHasGroup", $"Another group takes {category} already.", category));
        }
        var people = input.Agents.Concat(input.Supervisors).Distinct().ToList();
        if (await db.Users.CountAsync(u => people.Contains(u.Id), cancellationToken) != people.Count)
        {
            errors.Add(new ValidationError(nameof(SupportGroup.Members), "Validation.UnknownUser", "A chosen member does not exist."));
        }
        ValidationFailedException.ThrowIfAny(errors);

        (group.Name, group.Strategy, group.AutoAssign) = (name, input.Strategy, input.AutoAssign);
        var wanted = input.Agents.Distinct().Select(u => (u, SupportGroupRole.Agent)).Concat(input.Supervisors.Distinct().Select(u => (u, SupportGroupRole.Supervisor))).ToHashSet();
        group.Members.RemoveAll(m => !wanted.Contains((m.UserId, m.Role)));
        foreach (var (userId, role) in wanted.Where(w => !group.Members.Any(m => m.UserId == w.u && m.Role == w.Item2)))
        {
            group.Members.Add(new SupportGroupMember { GroupId = group.Id, UserId = userId, Role = role });
        }
        group.Categories.RemoveAll(c => !categories.Contains(c.Category));
        foreach (var category in categories.Where(c => !group.Categories.Any(x => x.Category == c)))
        {
            group.Categories.Add(new SupportGroupCategory { GroupId = group.Id, Category = category });
        }
    }
}
