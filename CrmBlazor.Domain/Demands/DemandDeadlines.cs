using CrmBlazor.Domain.WorkingTime;

namespace CrmBlazor.Domain.Demands;

/// <summary>The demand response deadline per priority (SPEC D1) on the shared working calendar.</summary>
public static class DemandDeadlines
{
    /// <summary>How long each priority has to respond: high 24 clock hours, medium 3 working days, low a working week (5).</summary>
    public static DateTime ResponseDeadline(this WorkingCalendar calendar, DemandPriority priority, DateTime createdUtc) => priority switch
    {
        DemandPriority.High => createdUtc.AddHours(24),
        DemandPriority.Medium => calendar.AddWorkingTime(createdUtc, calendar.WorkingDayLength * 3),
        _ => calendar.AddWorkingTime(createdUtc, calendar.WorkingDayLength * 5),
    };
}
