using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Backups;

/// <summary>
/// The daily backup (SPEC I2), checked every minute on every instance by the minute jobs. Once the company day has
/// reached <c>Backup:TimeOfDay</c> (in <c>Company:TimeZone</c>), the first pass inserts that day's <see cref="BackupRun"/>;
/// its unique <see cref="BackupRun.ScheduledDay"/> lets exactly one instance win the insert and take the backup. An
/// instance started later in the day takes the day's backup then, if nobody has. Each pass also applies the retention:
/// our backup files older than <c>Backup:KeepDays</c> are deleted. PostgreSQL and SQL Server: nothing (native tools).
/// </summary>
public sealed class BackupJob(IDbContextFactory<CrmDbContext> dbFactory, BackupService backups, IOptions<BackupOptions> options,
    CompanyClock clock, ILogger<BackupJob> logger)
{
    /// <returns>Whether this instance took today's backup now.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        if (!backups.AppBacksUp)
        {
            return false;
        }
        var deleted = BackupFiles.DeleteExpired(backups.Folder, clock.UtcNow, options.Value.KeepDays);
        if (deleted.Count > 0)
        {
            logger.LogInformation("Backup retention deleted {Files}", string.Join(", ", deleted));
        }
        if (TimeOnly.FromDateTime(clock.Now) < options.Value.TimeOfDay)
        {
            return false;
        }
        var day = clock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.BackupRuns.AnyAsync(r => r.ScheduledDay == day, cancellationToken))
        {
            return false;
        }
        var id = Guid.CreateVersion7();
        var started = clock.UtcNow;
        var instance = BackupService.InstanceName;
        var trigger = nameof(BackupTrigger.Scheduled);
        var running = nameof(BackupOutcome.Running);
        const string schedule = "schedule";
        var claimed = await db.InsertUnlessExistsAsync(
            $"IF NOT EXISTS (SELECT 1 FROM [BackupRuns] WITH (UPDLOCK, HOLDLOCK) WHERE [ScheduledDay] = {day}) INSERT INTO [BackupRuns] ([Id], [ScheduledDay], [Trigger], [StartedAt], [RequestedBy], [Instance], [Outcome]) VALUES ({id}, {day}, {trigger}, {started}, {schedule}, {instance}, {running})",
            $"INSERT INTO \"BackupRuns\" (\"Id\", \"ScheduledDay\", \"Trigger\", \"StartedAt\", \"RequestedBy\", \"Instance\", \"Outcome\") VALUES ({id}, {day}, {trigger}, {started}, {schedule}, {instance}, {running}) ON CONFLICT (\"ScheduledDay\") DO NOTHING",
            cancellationToken);
        if (!claimed)
        {
            return false;
        }
        await backups.TakeAsync(id, cancellationToken);
        return true;
    }
}
