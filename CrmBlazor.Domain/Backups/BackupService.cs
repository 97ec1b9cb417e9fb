using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Backups;

/// <summary>"Back up now" on a database the app does not back up itself (PostgreSQL, SQL Server: their native tools do).</summary>
public sealed class BackupNotAvailableException(DatabaseProvider provider)
    : CrmException("Backup.NotThisProvider", $"The app backs up SQLite only; back {provider} up with its own tools (see the README).", provider.ToString());

/// <summary>
/// SPEC I2 backups of the SQLite database: Admin's overview and "back up now", and the run both that and the daily
/// <see cref="BackupJob"/> take. Each run is a <see cref="BackupRun"/> row (who, which instance, file, size, outcome) in
/// the shared database; the file is written by <see cref="SqliteBackup"/> to <c>Backup:Path</c>.
/// </summary>
public sealed class BackupService(IDbContextFactory<CrmDbContext> dbFactory, DatabaseSettings database, IOptions<BackupOptions> options,
    CompanyClock clock, Permissions permissions, ICurrentUser currentUser, ILogger<BackupService> logger)
{
    /// <summary>The instance name recorded on each run: the machine (a container's host name).</summary>
    public static string InstanceName => Environment.MachineName;

    /// <summary>Only SQLite is backed up by the app itself; PostgreSQL and SQL Server use their native tools.</summary>
    public bool AppBacksUp => database.Provider == DatabaseProvider.Sqlite;

    public string Folder => Path.GetFullPath(options.Value.Path);

    public async Task<BackupOverview> OverviewAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var last = await db.BackupRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var lastGood = await db.BackupRuns.AsNoTracking().Where(r => r.Outcome == BackupOutcome.Succeeded)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        var kept = AppBacksUp ? BackupFiles.In(Folder) : [];
        return new BackupOverview(AppBacksUp, database.Provider, last is null ? null : BackupRunView.From(last),
            lastGood is null ? null : BackupRunView.From(lastGood), kept, options.Value.KeepDays, options.Value.TimeOfDay);
    }

    /// <summary>Admin's "back up now": a backup taken at once, recorded like the daily one. A failure is recorded and returned, not thrown.</summary>
    public async Task<BackupRunView> BackupNowAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        if (!AppBacksUp)
        {
            throw new BackupNotAvailableException(database.Provider);
        }
        var run = new BackupRun
        {
            Trigger = BackupTrigger.Manual,
            StartedAt = clock.UtcNow,
            RequestedBy = currentUser.DisplayName,
            Instance = InstanceName,
            Outcome = BackupOutcome.Running,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.BackupRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }
        return await TakeAsync(run.Id, cancellationToken);
    }

    /// <summary>Takes the backup of the claimed run <paramref name="runId"/> and records how it ended.</summary>
    internal async Task<BackupRunView> TakeAsync(Guid runId, CancellationToken cancellationToken)
    {
        var fileName = BackupFiles.NameFor(clock.UtcNow);
        long? size = null;
        string? failure = null;
        try
        {
            // The backup API call blocks for the whole copy: off the caller's thread (a circuit's, a job's).
            size = await Task.Run(() => SqliteBackup.BackUp(database.ConnectionString, Path.Combine(Folder, fileName)), cancellationToken);
            logger.LogInformation("Backup {File} written ({Bytes} bytes)", fileName, size);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            failure = ex.Message.Length > 1000 ? ex.Message[..1000] : ex.Message;
            logger.LogError(ex, "Backup {File} failed", fileName);
        }
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.BackupRuns.SingleAsync(r => r.Id == runId, CancellationToken.None);
        run.FinishedAt = clock.UtcNow;
        run.FileName = failure is null ? fileName : null;
        run.SizeBytes = size;
        run.Outcome = failure is null ? BackupOutcome.Succeeded : BackupOutcome.Failed;
        run.Failure = failure;
        await db.SaveChangesAsync(CancellationToken.None);
        return BackupRunView.From(run);
    }
}
