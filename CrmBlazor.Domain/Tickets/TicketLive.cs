using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>
/// Tells a ticket's change live to whoever may see it: the roles and owner (team) of its customer's scope, the members of
/// its support group and its assignee. One audience for every service that changes tickets and for the SLA pass.
/// </summary>
internal static class TicketLive
{
    /// <summary>
    /// Records the ticket's <see cref="TicketChanged"/> with the context's next save (the outbox), its audience read now;
    /// the event is built as the save goes out, so it carries the saved status and version.
    /// </summary>
    public static async Task RecordAsync(CrmDbContext db, Ticket ticket, Guid? customerOwnerId, Guid? byId, string byName, CancellationToken cancellationToken)
    {
        var members = await GroupMembersAsync(db, ticket.GroupId, cancellationToken);
        var teams = await OwnerTeamsAsync(db, customerOwnerId, cancellationToken);
        db.RecordLiveEvent(() => new TicketChanged(ticket.Id, ticket.CustomerId, ticket.GroupId, ticket.Status.ToString(), ticket.Version, byId, byName)
        {
            Audience = AudienceOf(members, ticket.AssigneeId, customerOwnerId, teams),
        });
    }

    /// <summary>The teams of a customer's owner, read now (a membership an Admin just added counts).</summary>
    public static async Task<List<Guid>> OwnerTeamsAsync(CrmDbContext db, Guid? ownerId, CancellationToken cancellationToken) =>
        ownerId is { } owner ? await db.TeamMemberships.Where(m => m.UserId == owner).Select(m => m.TeamId).ToListAsync(cancellationToken) : [];

    public static async Task<List<Guid>> GroupMembersAsync(CrmDbContext db, Guid? groupId, CancellationToken cancellationToken) =>
        groupId is { } id ? await db.SupportGroupMembers.Where(m => m.GroupId == id).Select(m => m.UserId).ToListAsync(cancellationToken) : [];

    public static IReadOnlyList<string> AudienceOf(IEnumerable<Guid> groupMembers, Guid? assigneeId, Guid? customerOwnerId, IEnumerable<Guid> customerOwnerTeamIds)
    {
        IEnumerable<Guid> people = assigneeId is { } assignee ? [.. groupMembers, assignee] : groupMembers;
        return [.. RecordScope.AudienceOf(customerOwnerId, customerOwnerTeamIds), .. people.Distinct().Select(Audience.ForUser)];
    }
}
