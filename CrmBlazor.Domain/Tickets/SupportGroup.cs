using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tickets;

public enum AssignmentStrategy
{
    /// <summary>Members in turn; the turn lives in the database (<see cref="SupportGroup.AssignmentTurn"/>).</summary>
    RoundRobin,

    /// <summary>The member with the fewest open tickets; ties go in turn.</summary>
    LeastLoaded,
}

public enum SupportGroupRole
{
    /// <summary>Takes tickets.</summary>
    Agent,

    /// <summary>Watches the group's queue, reassigns, and is told when nobody can take a ticket.</summary>
    Supervisor,
}

/// <summary>
/// A support group (SPEC G2): the ticket categories it takes, its agents and supervisors, and how it hands
/// tickets out. <see cref="AssignmentTurn"/> and <see cref="LastAssignedUserId"/> are the round-robin state,
/// claimed with a conditional UPDATE so two instances never hand out the same turn.
/// </summary>
public sealed class SupportGroup : AuditableEntity
{
    public required string Name { get; set; }
    public AssignmentStrategy Strategy { get; set; }
    public bool AutoAssign { get; set; } = true;

    /// <summary>Counts the hand-outs; an assignment claims turn n by moving it to n + 1 only if it is still n.</summary>
    public long AssignmentTurn { get; set; }

    public Guid? LastAssignedUserId { get; set; }

    public List<SupportGroupMember> Members { get; set; } = [];
    public List<SupportGroupCategory> Categories { get; set; } = [];
}

public sealed class SupportGroupMember : Entity, IAudited
{
    public Guid GroupId { get; set; }
    public Guid UserId { get; set; }
    public SupportGroupRole Role { get; set; }
}

/// <summary>A ticket category (TicketCategory dictionary code) the group takes; each category goes to one group.</summary>
public sealed class SupportGroupCategory : Entity, IAudited
{
    public Guid GroupId { get; set; }
    public required string Category { get; set; }
}
