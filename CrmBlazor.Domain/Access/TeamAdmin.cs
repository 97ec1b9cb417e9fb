using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Access;

public sealed record TeamMemberItem(Guid UserId, string DisplayName, string? Email, bool IsSupervisor, MembershipSource Source, bool IsActive, bool HasSupervisorRole);

public sealed record TeamItem(Guid Id, string Name, int Version, IReadOnlyList<TeamMemberItem> Members);

/// <summary>A team by name, for pickers.</summary>
public sealed record TeamOption(Guid Id, string Name);

/// <summary>
/// Admin's teams page (SPEC A1, A3): create and rename teams, add and remove members, make a member the team's
/// supervisor. Every change is audited (the rows are) and counts at the next call of any service: record scope and
/// approvals read memberships as they are.
/// </summary>
public sealed class TeamAdmin(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public async Task<IReadOnlyList<TeamItem>> ListAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var teams = await db.Teams.AsNoTracking().Include(t => t.Members).ThenInclude(m => m.User).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return teams.Select(t => new TeamItem(t.Id, t.Name, t.Version, t.Members
            .Select(m => new TeamMemberItem(m.UserId, m.User!.DisplayName, m.User.Email, m.IsSupervisor, m.Source, m.User.IsActive, m.User.RoleSet.Contains(Role.Supervisor)))
            .OrderByDescending(m => m.IsSupervisor).ThenBy(m => m.DisplayName, StringComparer.Ordinal).ToList())).ToList();
    }

    public async Task<IReadOnlyList<TeamOption>> OptionsAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new TeamOption(t.Id, t.Name)).ToListAsync(cancellationToken);
    }

    public async Task<Guid> CreateAsync(string? name, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = new Team { Name = await CheckedNameAsync(db, name, null, cancellationToken) };
        db.Teams.Add(team);
        await db.SaveChangesAsync(cancellationToken);
        return team.Id;
    }

    public async Task RenameAsync(Guid teamId, int version, string? name, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken) ?? throw new NotFoundException(nameof(Team), teamId);
        db.ExpectVersion(team, version);
        team.Name = await CheckedNameAsync(db, name, teamId, cancellationToken);
        await db.SaveOrConflictAsync(team, cancellationToken);
    }

    /// <summary>Adds a user to a team by hand (or changes their supervisor flag if they are in it); a manual membership outlives group mapping.</summary>
    public async Task AddMemberAsync(Guid teamId, Guid userId, bool isSupervisor, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
        {
            throw new NotFoundException(nameof(Team), teamId);
        }
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            throw new NotFoundException(nameof(AppUser), userId);
        }
        var membership = await db.TeamMemberships.SingleOrDefaultAsync(m => m.TeamId == teamId && m.UserId == userId, cancellationToken);
        if (membership is null)
        {
            db.TeamMemberships.Add(new TeamMembership { TeamId = teamId, UserId = userId, IsSupervisor = isSupervisor, Source = MembershipSource.Manual });
        }
        else
        {
            membership.IsSupervisor = isSupervisor;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task SetSupervisorAsync(Guid teamId, Guid userId, bool isSupervisor, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var membership = await db.TeamMemberships.SingleOrDefaultAsync(m => m.TeamId == teamId && m.UserId == userId, cancellationToken)
            ?? throw new NotFoundException(nameof(TeamMembership), $"{teamId}/{userId}");
        membership.IsSupervisor = isSupervisor;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes a membership, manual or from a group (a group's comes back at the next sign-in that still carries the group).</summary>
    public async Task RemoveMemberAsync(Guid teamId, Guid userId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var membership = await db.TeamMemberships.SingleOrDefaultAsync(m => m.TeamId == teamId && m.UserId == userId, cancellationToken);
        if (membership is not null)
        {
            db.TeamMemberships.Remove(membership);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private static async Task<string> CheckedNameAsync(CrmDbContext db, string? name, Guid? teamId, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Team.Name), "Validation.Required", "Required.")]);
        }
        if (trimmed.Length > 100)
        {
            throw new ValidationFailedException([new ValidationError(nameof(Team.Name), "Validation.TooLong", "At most 100 characters.", 100)]);
        }
        if (await db.Teams.AnyAsync(t => t.Name == trimmed && t.Id != teamId, cancellationToken))
        {
            throw new ValidationFailedException([new ValidationError(nameof(Team.Name), "Validation.NameTaken", $"{trimmed} exists already.", trimmed)]);
        }
        return trimmed;
    }
}
