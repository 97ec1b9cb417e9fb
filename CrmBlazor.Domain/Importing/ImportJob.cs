using CrmBlazor.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Importing;

public enum ImportMode
{
    /// <summary>Every row is a new customer; a row naming an existing number is refused.</summary>
    CreateOnly,

    /// <summary>Rows with a customer number update that customer (blank cells keep what is stored); rows without create.</summary>
    CreateOrUpdate,
}

/// <summary>What an import's rows become: customers (with their key contacts) or sales leads. One engine runs both.</summary>
public enum ImportKind
{
    Customers,
    Leads,

    /// <summary>People for customers already in the CRM (issue 17's contacts-only sheets, <see cref="ContactRows"/>).</summary>
    Contacts,
}

public enum ImportStatus
{
    /// <summary>Uploaded; its columns wait for the user to confirm their mapping (issue 17). Not listed among my imports.</summary>
    Mapping,

    /// <summary>Checked and previewed; nothing written until the user confirms.</summary>
    Validated,
    Running,
    Cancelled,

    /// <summary>Stopped by a failure (or the host going down): the whole batches written stay, the rest can be resumed.</summary>
    Interrupted,
    Completed,
}

/// <summary>
/// One import (SPEC H2; leads, SPEC F1): the uploaded file kept under a generated name, what the preview found,
/// and how far the run got. <see cref="ProcessedRows"/> counts the file's data rows covered by committed
/// batches: a resumed run starts after them, so a crash or a cancel leaves only whole batches.
/// </summary>
public sealed class ImportJob : AuditableEntity
{
    public required string FileName { get; set; }
    public ImportKind Kind { get; set; }
    public ImportMode Mode { get; set; }
    public ImportStatus Status { get; set; }
    public Guid RequestedById { get; set; }
    public required string RequestedByName { get; set; }

    /// <summary>The sheet's row (1-based) holding the headings: a title line above them is common in a team's own sheet.</summary>
    public int HeaderRow { get; set; } = 1;

    /// <summary>The sheet's headings in order with the field each is mapped to, as JSON (<see cref="ImportColumnMapping.JobJson"/>); the check and the run read the sheet through it.</summary>
    public string? ColumnMap { get; set; }

    /// <summary>The user's value mapping, as JSON (field key → value as written → code, see <see cref="ImportValueMap"/>); the run reads the cells through it.</summary>
    public string? ValueMap { get; set; }

    public int TotalRows { get; set; }
    public int ErrorRows { get; set; }
    public int ToCreate { get; set; }
    public int ToUpdate { get; set; }

    public int ProcessedRows { get; set; }
    public int Imported { get; set; }
    public int Updated { get; set; }
    public int Skipped { get; set; }

    /// <summary>Why rows were skipped while running, "reason\tcount" per line (the preview's own errors are in the errors workbook).</summary>
    public string SkippedReasons { get; set; } = "";

    public bool CancelRequested { get; set; }

    /// <summary>Set by every committed batch; a running import whose heartbeat stopped is resumable.</summary>
    public DateTime? HeartbeatAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string? Failure { get; set; }

    public int ValidRows => TotalRows - ErrorRows;
}

/// <summary>
/// Where uploaded files wait between preview and run, and the limits a file must keep: its size, its rows (blank
/// ones too) and header columns, and — because an .xlsx is a zip — what it unpacks to, how many parts it has,
/// and how far one part may be compressed (<see cref="ImportFileCheck"/>).
/// </summary>
public sealed record ImportSettings(string Root, long MaxBytes = 20 * 1024 * 1024, int MaxRows = 200_000, int BatchSize = 500, int KeepDays = 7,
    long MaxUnpackedBytes = 200 * 1024 * 1024, int MaxZipEntries = 1_000, int MaxCompressionRatio = 100, int MaxColumns = 200)
{
    public string FileOf(Guid jobId) => Path.Combine(Root, $"{jobId:N}.xlsx");

    public string ErrorsOf(Guid jobId) => Path.Combine(Root, $"{jobId:N}.errors.xlsx");
}

/// <summary>
/// Uploads and errors workbooks hold customers' personal data: each is deleted <see cref="ImportSettings.KeepDays"/>
/// days after it was last written (an import still running keeps its file). Run by the minute jobs.
/// </summary>
public sealed class ImportCleanup(IDbContextFactory<Data.CrmDbContext> dbFactory, ImportSettings settings, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(settings.Root))
        {
            return 0;
        }
        var before = time.GetUtcNow().UtcDateTime.AddDays(-settings.KeepDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // An upload left at the mapping step is no import of anyone's yet: it goes with its file.
        await db.ImportJobs.Where(j => j.Status == ImportStatus.Mapping && j.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
        var old = new DirectoryInfo(settings.Root).EnumerateFiles("*.xlsx").Where(f => f.LastWriteTimeUtc < before).ToList();
        if (old.Count == 0)
        {
            return 0;
        }
        var running = (await db.ImportJobs.AsNoTracking().Where(j => j.Status == ImportStatus.Running).Select(j => j.Id).ToListAsync(cancellationToken))
            .Select(id => id.ToString("N")).ToHashSet();
        var deleted = 0;
        foreach (var file in old.Where(f => !running.Contains(f.Name.Split('.')[0])))
        {
            file.Delete();
            deleted++;
        }
        return deleted;
    }
}
