using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.WorkingTime;

/// <summary>A day that differs from the usual week (SPEC D1): a holiday, or a make-up working day (调休).</summary>
public sealed class CalendarDay : AuditableEntity
{
    public DateOnly Date { get; set; }
    public bool IsWorkingDay { get; set; }
    public required string Name { get; set; }
}

/// <summary>The business's working hours, in the company's time zone (<c>Company:TimeZone</c>); one row, created with these defaults.</summary>
public sealed class WorkingHours : IAudited
{
    public int Id { get; set; } = 1;
    public TimeOnly Start { get; set; } = new(9, 0);
    public TimeOnly End { get; set; } = new(18, 0);
}
