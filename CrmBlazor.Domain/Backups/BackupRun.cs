using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Backups;

public enum BackupTrigger
{
    /// <summary>The daily backup at <c>Backup:TimeOfDay</c>, claimed by one instance.</summary>
    Scheduled,

    /// <summary>An Admin's "back up now".</summary>
    Manual,
}

public enum BackupOutcome
{
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// One backup (SPEC I2): when, who asked (a user or the schedule), which instance took it, its file and size, and how it
/// ended. Kept in the shared database so every instance's status page shows the last one. A scheduled run's
/// <see cref="ScheduledDay"/> is unique: inserting it is the claim that lets one instance of many take the day's backup.
/// </summary>
public sealed class BackupRun : Entity
{
    /// <summary>The company day (yyyy-MM-dd) a scheduled run is for; null for manual runs.</summary>
    public string? ScheduledDay { get; set; }
    public BackupTrigger Trigger { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public required string RequestedBy { get; set; }
    public required string Instance { get; set; }
    public string? FileName { get; set; }
    public long? SizeBytes { get; set; }
    public BackupOutcome Outcome { get; set; }
    public string? Failure { get; set; }
}

/// <summary>A backup run as the status page and the backups panel show it.</summary>
public sealed record BackupRunView(Guid Id, BackupTrigger Trigger, DateTime StartedAt, DateTime? FinishedAt, string RequestedBy, string Instance,
    string? FileName, long? SizeBytes, BackupOutcome Outcome, string? Failure)
{
    internal static BackupRunView From(BackupRun r) =>
        new(r.Id, r.Trigger, r.StartedAt, r.FinishedAt, r.RequestedBy, r.Instance, r.FileName, r.SizeBytes, r.Outcome, r.Failure);
}

/// <summary>
/// What the backups panel shows: whether this app backs its database up itself (SQLite only), the last run and the last
/// good one across instances, and the backup files kept in <c>Backup:Path</c>, newest first.
/// </summary>
public sealed record BackupOverview(bool AppBacksUp, Data.DatabaseProvider Provider, BackupRunView? LastRun, BackupRunView? LastSucceeded,
    IReadOnlyList<BackupFile> Kept, int KeepDays, TimeOnly TimeOfDay);
