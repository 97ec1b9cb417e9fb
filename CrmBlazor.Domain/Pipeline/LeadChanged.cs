using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>A lead changed (created, claimed, assigned, worked, converted): lead lists and pools refresh.</summary>
public sealed record LeadChanged(Guid LeadId, string Status, Guid? OwnerId, int Version) : LiveEvent
{
    /// <summary>
    /// Records the event with the next save, built as the save goes out (so it carries the saved version): for its owner,
    /// the owner's and the pool's supervisors, the roles that see every lead, and, while it waits in a pool, every rep and
    /// supervisor (their lists ask again within their own scope, so the event itself tells them nothing more).
    /// </summary>
    public static async Task RecordAsync(CrmDbContext db, Lead lead, Guid? previousOwnerId, CancellationToken cancellationToken)
    {
        var audience = (await db.AudienceOfAsync(lead.OwnerId, cancellationToken)).ToList();
        if (lead.TeamId is { } team)
        {
            audience.Add(Access.Audience.ForTeam(team));
        }
        if (previousOwnerId is { } previous)
        {
            audience.Add(Access.Audience.ForUser(previous));
        }
        if (lead.OwnerId is null || previousOwnerId is null)
        {
            audience.Add(Access.Audience.ForRole(Role.SalesRep));
            audience.Add(Access.Audience.ForRole(Role.Supervisor));
        }
        IReadOnlyList<string> distinct = [.. audience.Distinct()];
        db.RecordLiveEvent(() => new LeadChanged(lead.Id, lead.Status.ToString(), lead.OwnerId, lead.Version) { Audience = distinct });
    }

    /// <summary>
    /// An import batch's new leads: one event per owner or pool among them (lists re-read on any, so one per audience is
    /// enough), for the same people <see cref="RecordAsync"/> tells of a new lead.
    /// </summary>
    public static async Task RecordImportedAsync(CrmDbContext db, IReadOnlyList<Lead> leads, CancellationToken cancellationToken)
    {
        foreach (var group in leads.GroupBy(l => (l.OwnerId, l.TeamId)))
        {
            var audience = (await db.AudienceOfAsync(group.Key.OwnerId, cancellationToken)).ToList();
            if (group.Key.TeamId is { } team)
            {
                audience.Add(Access.Audience.ForTeam(team));
            }
            audience.Add(Access.Audience.ForRole(Role.SalesRep));
            audience.Add(Access.Audience.ForRole(Role.Supervisor));
            IReadOnlyList<string> distinct = [.. audience.Distinct()];
            var first = group.First();
            db.RecordLiveEvent(() => new LeadChanged(first.Id, first.Status.ToString(), first.OwnerId, first.Version) { Audience = distinct });
        }
    }
}

/// <summary>What a lead's assignment approval carries (the request's payload).</summary>
public sealed record LeadAssignmentPlan(Guid LeadId, Guid OwnerId, string OwnerName);
