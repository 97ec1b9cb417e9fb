using CrmBlazor.Domain.Common;
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

    public DemandBoardFilter ToQuery(CompanyClock clock) => new()
    {
        OwnerId = OwnerId,
        Priority = Priority,
        CustomerId = CustomerId,
        DueBefore = Due switch
        {
            DueWithin.Overdue => clock.UtcNow,
            DueWithin.Today => clock.StartOfDayUtc(clock.Today.AddDays(1)),
            DueWithin.Week => clock.UtcNow.AddDays(7),
            _ => null,
        },
    };
}
