using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.WorkingTime;

/// <summary>Reads the working calendar for deadlines (demands and tickets), and lets Admin edit holidays, make-up days and hours (SPEC D1).</summary>
public sealed class WorkingCalendarService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock)
{
    public async Task<WorkingCalendar> LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, clock.Zone, cancellationToken);
    }

    /// <summary>The calendar runs in the company's time zone (<see cref="CompanyClock.Zone"/>).</summary>
    internal static async Task<WorkingCalendar> LoadAsync(CrmDbContext db, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var hours = await db.WorkingHours.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new WorkingHours();
        var days = await db.CalendarDays.AsNoTracking().ToDictionaryAsync(d => d.Date, d => d.IsWorkingDay, cancellationToken);
        return new WorkingCalendar(zone, hours.Start, hours.End, days);
    }

    public async Task<WorkingHours> HoursAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WorkingHours.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new WorkingHours();
    }

    /// <summary>Holidays and make-up days from <paramref name="from"/> on, in date order.</summary>
    public async Task<IReadOnlyList<CalendarDay>> DaysAsync(DateOnly from, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.CalendarDays.AsNoTracking().Where(d => d.Date >= from).OrderBy(d => d.Date).ToListAsync(cancellationToken);
    }

    public async Task SetHoursAsync(TimeOnly start, TimeOnly end, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        if (end <= start)
        {
            throw new ValidationFailedException([new ValidationError(nameof(WorkingHours.End), "Validation.WorkingHoursOrder", "Working hours must end after they start.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hours = await db.WorkingHours.SingleOrDefaultAsync(cancellationToken);
        if (hours is null)
        {
            hours = new WorkingHours();
            db.WorkingHours.Add(hours);
        }
        (hours.Start, hours.End) = (start, end);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Marks a day as a holiday (<paramref name="isWorkingDay"/> false) or a make-up working day (true); replaces an earlier entry for that date.</summary>
    public async Task<CalendarDay> SetDayAsync(DateOnly date, bool isWorkingDay, string name, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ValidationFailedException([new ValidationError(nameof(CalendarDay.Name), "Validation.CalendarDayName", "Name the holiday or make-up day.")]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var day = await db.CalendarDays.SingleOrDefaultAsync(d => d.Date == date, cancellationToken);
        if (day is null)
        {
            day = new CalendarDay { Date = date, Name = "" };
            db.CalendarDays.Add(day);
        }
        (day.IsWorkingDay, day.Name) = (isWorkingDay, name.Trim());
        await db.SaveChangesAsync(cancellationToken);
        return day;
    }

    public async Task RemoveDayAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var day = await db.CalendarDays.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(CalendarDay), id);
        db.CalendarDays.Remove(day);
        await db.SaveChangesAsync(cancellationToken);
    }
}
