using CrmBlazor.Domain.Demands;

namespace CrmBlazor.Server.Features.Demands;

public enum DueWithin
{
    Any,
    Overdue,
    Today,
    Week,
}

/// <summary>What a board's filter bar holds; both boards share it.</summary>
public sealed class BoardFilter
{
    public Guid? OwnerId { get; set; }
    public DemandPriority? Priority { get; set; }
    public DueWithin Due { get; set; }
    public Guid? CustomerId { get; set; }

    public DemandBoardFilter ToQuery(DateTime now) => new()
    {
        OwnerId = OwnerId,
        Priority = Priority,
        CustomerId = CustomerId,
        DueBefore = Due switch
        {
            DueWithin.Overdue => now,
            DueWithin.Today => now.ToLocalTime().Date.AddDays(1).ToUniversalTime(),
            DueWithin.Week => now.AddDays(7),
            _ => null,
        },
    };
}
