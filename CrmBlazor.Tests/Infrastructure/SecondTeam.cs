using CrmBlazor.Domain.Access;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>A second team beside the demo's one: its supervisor and rep, and customers handed to that rep.</summary>
public sealed record SecondTeam(Guid TeamId, TestUser Supervisor, TestUser Rep)
{
    public static async Task<SecondTeam> AddAsync(DomainHarness harness)
    {
        await using var db = harness.NewSystemContext();
        var team = new Team { Name = "华南团队" };
        var supervisor = new AppUser { ExternalId = "south-supervisor", DisplayName = "周敏", Roles = nameof(Role.Supervisor) };
        var rep = new AppUser { ExternalId = "south-salesrep", DisplayName = "吴强", Roles = nameof(Role.SalesRep) };
        supervisor.Memberships.Add(new TeamMembership { Team = team, UserId = supervisor.Id, IsSupervisor = true });
        rep.Memberships.Add(new TeamMembership { Team = team, UserId = rep.Id });
        db.AddRange(team, supervisor, rep);
        await db.SaveChangesAsync();
        return new SecondTeam(team.Id, TestUser.From(supervisor), TestUser.From(rep));
    }

    /// <summary>Hands these customers over to this team's rep (as a transfer by an Admin would).</summary>
    public async Task TakeOverAsync(DomainHarness harness, params Guid[] customerIds)
    {
        await using var db = harness.NewSystemContext();
        // Tracked, as the services do, so that their deals follow (CustomerOwnerFollower).
        foreach (var customer in await db.Customers.Where(c => customerIds.Contains(c.Id)).ToListAsync())
        {
            customer.OwnerId = Rep.UserId;
        }
        await db.SaveChangesAsync();
    }
}
