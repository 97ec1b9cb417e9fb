using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>Where a lead stands (SPEC F1): worked from new to qualified, then converted or disqualified (both final).</summary>
public enum LeadStatus
{
    New,
    Contacted,
    Qualified,
    Converted,
    Disqualified,
}

/// <summary>
/// A sales lead (线索, SPEC F1): a company and a person who may become a customer, numbered LD{yyyy}{nnnnn}. Owned by a
/// rep, or waiting unowned in a team's pool (<see cref="TeamId"/>; none: the company's pool) for a rep to claim.
/// A supervisor's assignment may wait for an approval (<see cref="PendingApprovalId"/>, <see cref="PendingOwnerId"/>).
/// Converted, it keeps links to the customer and the opportunity it became.
/// </summary>
public sealed class Lead : AuditableEntity
{
    public required string Number { get; set; }

    /// <summary>The <see cref="Data.NumberSequences"/> series of a year's lead numbers.</summary>
    public static string SequenceOf(int year) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lead:{year}");

    /// <summary>LD{yyyy}{nnnnn}: the <paramref name="serial"/>th lead of <paramref name="year"/>.</summary>
    public static string NumberOf(int year, long serial) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"LD{year}{serial:00000}");

    /// <summary>Code of the LeadSource dictionary.</summary>
    public string? Source { get; set; }

    public required string Company { get; set; }
    public required string ContactName { get; set; }
    public string? Mobile { get; set; }
    public string? Email { get; set; }

    /// <summary>Code of the Region dictionary (the customer's province once converted).</summary>
    public string? Region { get; set; }

    public string? Notes { get; set; }
    public LeadStatus Status { get; set; }

    /// <summary>Why it was disqualified.</summary>
    public string? DisqualifyReason { get; set; }

    /// <summary>The pool the lead waits in while it has no owner; null is the company's pool.</summary>
    public Guid? TeamId { get; set; }

    public Team? Team { get; set; }
    public Guid? OwnerId { get; set; }
    public AppUser? Owner { get; set; }

    /// <summary>When the current owner got it (claimed or assigned).</summary>
    public DateTime? AssignedAt { get; set; }

    /// <summary>The approval a supervisor's assignment waits for, while it waits.</summary>
    public Guid? PendingApprovalId { get; set; }

    public Guid? PendingOwnerId { get; set; }

    public Guid? ConvertedCustomerId { get; set; }
    public Guid? ConvertedOpportunityId { get; set; }
    public DateTime? ConvertedAt { get; set; }

    public bool IsClosed => Status is LeadStatus.Converted or LeadStatus.Disqualified;
}

/// <summary>
/// Which leads a user may see (the lead's half of SPEC A3): Admins, analysts and service see all; a supervisor the leads
/// owned by members of teams they supervise and those teams' pools; a rep their own leads and the pools of their teams.
/// The company's pool (no team) is open to every rep and supervisor.
/// </summary>
public static class LeadScope
{
    public static IQueryable<Lead> VisibleTo(this IQueryable<Lead> leads, ICurrentUser user)
    {
        if (RecordScope.SeesEveryone(user))
        {
            return leads;
        }
        if (!user.IsAuthenticated || user.UserId is not { } userId)
        {
            return leads.Where(_ => false);
        }
        if (user.IsIn(Role.Supervisor))
        {
            return leads.Where(l => l.OwnerId == userId
                || (l.OwnerId != null && l.Owner!.Memberships.Any(m => m.Team!.Members.Any(s => s.UserId == userId && s.IsSupervisor)))
                || (l.OwnerId == null && (l.TeamId == null || l.Team!.Members.Any(s => s.UserId == userId))));
        }
        return leads.Where(l => l.OwnerId == userId
            || (l.OwnerId == null && (l.TeamId == null || l.Team!.Members.Any(s => s.UserId == userId))));
    }
}
