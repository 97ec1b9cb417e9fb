using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace CrmBlazor.Domain.Importing;

/// <summary>This run lost the job to another run of it; its batch was rolled back.</summary>
public sealed class ImportTakenOverException() : Exception("The import was taken over by another run.");

/// <summary>What the check of a file found: counts, the first failing rows, columns the import does not read, and what cleaning changed.</summary>
public sealed record ImportPreview(
    ImportJob Job,
    IReadOnlyList<ImportRow> FailingRows,
    IReadOnlyDictionary<ImportProblemKind, int> ProblemCounts,
    IReadOnlyList<string> IgnoredColumns,
    bool HasErrorsWorkbook,
    IReadOnlyDictionary<ImportCleaningKind, int> Cleanings,
    IReadOnlyList<ImportUnknownValue>? UnknownValues = null,
    IReadOnlyList<ImportValueColumn>? ValueColumns = null);

/// <summary>
/// The import engine (SPEC H2): customers, leads (SPEC F1) and contacts for existing customers (issue 17) through the same
/// steps — <see cref="ImportJob.Kind"/> picks the row reader (<see cref="CustomerRows"/>, <see cref="Pipeline.LeadRows"/> or
/// <see cref="ContactRows"/>) and what a batch writes. <see cref="PrepareAsync(string, Stream, ImportKind, ImportMode, CancellationToken)"/> keeps the upload under a generated name, refuses a
/// bad file, and checks every row — streamed, a batch at a time against the database — writing nothing but the
/// job record and a workbook of the failing rows. <see cref="RunAsync"/>, after the user confirms, writes the
/// rows in batches, each in its own transaction together with the job's progress, so a crash or a cancel
/// leaves whole batches and a job that resumes after them. Rows are checked again as they are written:
/// running the same file twice finds the first run's customers and skips them, so nothing is duplicated.
/// </summary>
public sealed class CustomerImport(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ImportSettings settings,
    NotificationService notifications,
    AuditLog audit,
    ILiveEvents liveEvents,
    CompanyClock clock,
    Uploads.UploadLimiter uploads)
{
    public const int PreviewRows = 200;

    /// <summary>A running import whose last batch is older than this is taken as stopped, and may be resumed.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    /// <summary>Batches of rows read and checked on their own (<see cref="ReadAhead"/>) while the current one is checked against the database and written: this many wait, one more is being read.</summary>
    private const int BatchesAhead = 2;

    public Task<ImportPreview> PrepareAsync(string fileName, Stream content, ImportMode mode, CancellationToken cancellationToken = default) =>
        PrepareAsync(fileName, content, ImportKind.Customers, mode, cancellationToken);

    /// <summary>
    /// Checks a file of <paramref name="kind"/> in one step, its columns mapped as <see cref="InspectAsync"/> proposes (the API's
    /// and the template's way); leads are only created (a lead has no number a sheet could name).
    /// </summary>
    public async Task<ImportPreview> PrepareAsync(string fileName, Stream content, ImportKind kind, ImportMode mode, CancellationToken cancellationToken = default)
    {
        var (columns, sheet, rows) = await InspectSheetAsync(fileName, content, kind, mode, cancellationToken);
        try
        {
            return await CheckAsync(columns.JobId, columns.Map, null, remember: false, (sheet, rows), cancellationToken);
        }
        catch
        {
            await ForgetJobAsync(columns.JobId); // no one is there to correct the mapping
            throw;
        }
    }

    /// <summary>
    /// The mapping step (issue 17): keeps the upload under a generated name and refuses a bad file; finds the header row
    /// (a title line may be above it); matches each column to a field (the mapping confirmed for the same headings
    /// before, else exact, synonym, similar) and shows a few of its values. Nothing is checked or written but a job
    /// waiting for its mapping.
    /// </summary>
    public async Task<ImportColumns> InspectAsync(string fileName, Stream content, ImportKind kind, ImportMode mode, CancellationToken cancellationToken = default) =>
        (await InspectSheetAsync(fileName, content, kind, mode, cancellationToken)).Columns;

    /// <summary>
    /// <see cref="InspectAsync"/>, with the sheet the file check named and the row reader it loaded: a one-step check goes on
    /// with them instead of checking the file and loading the dictionaries again.
    /// </summary>
    private async Task<(ImportColumns Columns, string Sheet, IImportRows Rows)> InspectSheetAsync(string fileName, Stream content, ImportKind kind, ImportMode mode, CancellationToken cancellationToken)
    {
        mode = kind == ImportKind.Leads ? ImportMode.CreateOnly : mode;
        DemandRights(kind, mode);
        var me = Me();
        uploads.Take(currentUser);
        var job = new ImportJob
        {
            FileName = Path.GetFileName(fileName),
            Kind = kind,
            Mode = mode,
            Status = ImportStatus.Mapping,
            RequestedById = me,
            RequestedByName = currentUser.DisplayName,
        };
        var path = settings.FileOf(job.Id);
        Directory.CreateDirectory(settings.Root);
        try
        {
            await CopyWithinLimitAsync(content, path, cancellationToken);
            var sheet = ImportFileCheck.Check(path, settings);
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var rows = await RowsAsync(db, kind, mode, sheet.Rows, cancellationToken);
            var (headerRow, headers, samples) = ReadHeadings(path, sheet.Name, rows.Targets);
            if (headers.Count == 0)
            {
                throw NoHeaderRow(kind);
            }
            var signature = ImportColumnMapping.SignatureOf(headers);
            var remembered = await db.ImportColumnMappings.AsNoTracking().Where(m => m.Kind == kind && m.Signature == signature).SingleOrDefaultAsync(cancellationToken);
            var proposed = ImportColumnMapping.Propose(headers, rows.Targets, ImportColumnMapping.FromJson(remembered?.Columns));
            job.ValueMap = remembered?.Values; // the values chosen last time apply again
            var columns = proposed.Select((p, i) => new ImportSourceColumn(p.Header, samples[i], p.Target, p.Match)).ToList();
            job.HeaderRow = headerRow;
            job.ColumnMap = ImportColumnMapping.JobJson(headers, ImportColumnMapping.MapOf(proposed.Select(p => (p.Header, p.Target))));
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync(cancellationToken);
            return (new ImportColumns(job.Id, job.FileName, headerRow, columns, rows.Targets), sheet.Name, rows);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            Forget(job.Id);
            throw ImportFileCheck.NotWorkbook();
        }
        catch
        {
            Forget(job.Id); // a refused file keeps nothing: neither the upload nor a job
            throw;
        }
    }

    /// <summary>
    /// Checks every row of an inspected upload of mine through <paramref name="map"/> (heading → field key; a heading left
    /// out is not read) — streamed, a batch at a time against the database — writing nothing but the job record and a
    /// workbook of the failing rows. A mapping that leaves a required field out is refused and can be corrected; with
    /// <paramref name="remember"/>, the mapping is kept for the next file with the same headings.
    /// </summary>
    public Task<ImportPreview> CheckAsync(Guid jobId, IReadOnlyDictionary<string, string>? map,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? values = null, CancellationToken cancellationToken = default) =>
        CheckAsync(jobId, map, values, remember: true, inspected: null, cancellationToken);

    /// <summary>The check; <paramref name="inspected"/> is the sheet the inspection checked and the reader it loaded, when it ran in this call.</summary>
    private async Task<ImportPreview> CheckAsync(Guid jobId, IReadOnlyDictionary<string, string>? map, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? values,
        bool remember, (string Sheet, IImportRows Rows)? inspected, CancellationToken cancellationToken)
    {
        var me = Me();
        ImportJob job;
        await using (var find = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            job = await find.ImportJobs.AsNoTracking()
                .SingleOrDefaultAsync(j => j.Id == jobId && j.RequestedById == me && (j.Status == ImportStatus.Mapping || j.Status == ImportStatus.Validated), cancellationToken)
                ?? throw new NotFoundException(nameof(ImportJob), jobId);
        }
        // A checked job checked again (after the value mapping): same columns unless given, the new values over the earlier ones.
        var again = job.Status == ImportStatus.Validated;
        var kept = ImportColumnMapping.FromJobJson(job.ColumnMap);
        map ??= kept?.Map ?? new Dictionary<string, string>();
        var valueMap = ImportValueMap.Merge(ImportValueMap.FromJson(job.ValueMap), values ?? new Dictionary<string, IReadOnlyDictionary<string, string>>());
        DemandRights(job.Kind, job.Mode);
        var path = settings.FileOf(job.Id);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        string sheet;
        IImportRows rows;
        IReadOnlyList<string> headers;
        try
        {
            if (inspected is { } done)
            {
                (sheet, rows) = done;
            }
            else
            {
                var checkedSheet = ImportFileCheck.Check(path, settings);
                (sheet, rows) = (checkedSheet.Name, await RowsAsync(db, job.Kind, job.Mode, checkedSheet.Rows, cancellationToken));
            }
            headers = kept?.Headings ?? ReadHeadings(path, sheet, rows.Targets).Headers; // the inspection's, without reading the file again
        }
        catch (Exception ex) when (IsUnreadable(ex) || ex is FileNotFoundException)
        {
            await ForgetJobAsync(job.Id);
            throw ImportFileCheck.NotWorkbook();
        }
        // A wrong mapping is the user's to correct: the upload and the job stay for the next try.
        map = map.Where(m => headers.Contains(m.Key) && rows.Targets.Any(t => t.Key == m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        if (map.Values.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            var target = rows.Targets.First(t => t.Key == twice.Key);
            throw new ImportRejectedException($"“{target.Zh}”只能对应一列。", $"\"{target.En}\" can take one column only.");
        }
        if (ImportColumnMapping.Missing(rows.Targets, map) is { Count: > 0 } missing)
        {
            throw new ImportRejectedException($"缺少必需的列：{string.Join("、", missing.Select(t => t.Zh))}。请把表格中的列对应到这些字段，或使用导入模板的表头。",
                $"Required columns are missing: {string.Join(", ", missing.Select(t => t.En))}. Map a column of the sheet to each of them, or use the import template's header row.");
        }
        try
        {
            if (remember)
            {
                await RememberAsync(db, job.Kind, headers, map, valueMap, rows.Targets, cancellationToken);
            }
            job.ColumnMap = ImportColumnMapping.JobJson(headers, map);
            job.ValueMap = ImportValueMap.ToJson(valueMap);
            (job.TotalRows, job.ErrorRows, job.ToCreate, job.ToUpdate) = (0, 0, 0, 0);
            File.Delete(settings.ErrorsOf(job.Id));
            rows.UseValues(valueMap);
            var preview = await CheckRowsAsync(job, path, sheet, rows, map, db, cancellationToken);
            job.Status = ImportStatus.Validated;
            db.ImportJobs.Update(job);
            await db.SaveChangesAsync(cancellationToken);
            return preview;
        }
        catch (Exception ex) when (IsUnreadable(ex) && !again)
        {
            await ForgetJobAsync(job.Id);
            throw ImportFileCheck.NotWorkbook();
        }
        catch when (!again)
        {
            await ForgetJobAsync(job.Id); // a refused or failed first check keeps nothing: neither the upload nor a job
            throw;
        }
    }

    /// <summary>The rows checked through the mapping, counted into <paramref name="job"/>; the first failing ones kept for the preview, every one written to the errors workbook as it is found.</summary>
    private async Task<ImportPreview> CheckRowsAsync(ImportJob job, string path, string sheet, IImportRows rows, IReadOnlyDictionary<string, string> map, CrmDbContext db,
        CancellationToken cancellationToken)
    {
        var ignored = new List<string>();
        await using var errors = new ErrorsWorkbookWriter(settings.ErrorsOf(job.Id));
        var failing = new List<ImportRow>();
        var counts = new Dictionary<ImportProblemKind, int>();
        var cleanings = new Dictionary<ImportCleaningKind, int>();
        foreach (var chunk in Chunks(path, sheet, job, rows, map, ignored, settings.BatchSize))
        {
            await rows.CheckAgainstDatabaseAsync(db, chunk, cancellationToken);
            foreach (var row in chunk)
            {
                job.TotalRows++;
                foreach (var cleaning in row.Cleanings ?? [])
                {
                    cleanings[cleaning] = cleanings.GetValueOrDefault(cleaning) + 1;
                }
                if (row.IsValid)
                {
                    _ = row.TargetId is null ? job.ToCreate++ : job.ToUpdate++;
                    continue;
                }
                job.ErrorRows++;
                errors.Add(ErrorRow(row.Cells, row.Reasons(chinese: true), row.RowNumber), cancellationToken);
                foreach (var problem in row.Problems.Select(p => p.Kind).Distinct())
                {
                    counts[problem] = counts.GetValueOrDefault(problem) + 1;
                }
                if (failing.Count < PreviewRows)
                {
                    failing.Add(row);
                }
            }
        }
        if (job.TotalRows == 0)
        {
            throw job.Kind switch
            {
                ImportKind.Leads => new ImportRejectedException("文件没有数据行：请在表头下面填写线索。", "The file has no data rows: fill in leads below the header row."),
                ImportKind.Contacts => new ImportRejectedException("文件没有数据行：请在表头下面填写联系人。", "The file has no data rows: fill in contacts below the header row."),
                _ => new ImportRejectedException("文件没有数据行：请在表头下面填写客户。", "The file has no data rows: fill in customers below the header row."),
            };
        }
        await errors.CompleteAsync();
        return new ImportPreview(job, failing, counts, ignored, job.ErrorRows > 0, cleanings, rows.Values.Values, rows.Values.Columns);
    }

    /// <summary>
    /// Keeps a confirmed mapping for the next file with the same headings (the newest confirmation wins). One the matching
    /// proposes by itself is not kept: the template's own headings stay without a review step.
    /// </summary>
    private static async Task RememberAsync(CrmDbContext db, ImportKind kind, IReadOnlyList<string> headers, IReadOnlyDictionary<string, string> map,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> values, IReadOnlyList<ImportTarget> targets, CancellationToken cancellationToken)
    {
        var signature = ImportColumnMapping.SignatureOf(headers);
        var json = ImportColumnMapping.ToJson(map);
        var valuesJson = ImportValueMap.ToJson(values);
        var stored = await db.ImportColumnMappings.SingleOrDefaultAsync(m => m.Kind == kind && m.Signature == signature, cancellationToken);
        var proposed = ImportColumnMapping.MapOf(ImportColumnMapping.Propose(headers, targets).Select(p => (p.Header, p.Target)));
        if (valuesJson is null && proposed.Count == map.Count && proposed.All(p => map.TryGetValue(p.Key, out var t) && t == p.Value))
        {
            if (stored is not null)
            {
                db.ImportColumnMappings.Remove(stored);
            }
        }
        else if (stored is null)
        {
            db.ImportColumnMappings.Add(new ImportColumnMapping { Kind = kind, Signature = signature, Columns = json, Values = valuesJson });
        }
        else
        {
            (stored.Columns, stored.Values) = (json, valuesJson);
        }
    }

    /// <summary>
    /// The header row found among the first rows, its headings as the row reader keys them (MiniExcel's: each non-blank cell's
    /// text; a repeated heading keeps its first place and its last column's values), and up to three distinct values of each
    /// from the rows under it. Read from a copy of the sheet's top (<see cref="SheetTop"/>): MiniExcel walks every cell of a
    /// sheet without a dimension before its first row, which on a 100,000-row sheet costs more than the whole mapping step.
    /// </summary>
    private static (int HeaderRow, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Samples) ReadHeadings(string path, string sheet,
        IReadOnlyList<ImportTarget> targets)
    {
        const int sampleRows = 50;
        var rowsRead = ImportColumnMapping.HeaderSearchRows + sampleRows;
        using var firstRows = SheetTop.Of(path, rowsRead);
        var top = MiniExcel.Query(firstRows, useHeaderRow: false, sheetName: sheet).Take(rowsRead)
            .Select(r => (IDictionary<string, object?>)r).ToList();
        var headerRow = ImportColumnMapping.FindHeaderRow(
            top.Take(ImportColumnMapping.HeaderSearchRows).Select(r => (IReadOnlyList<string>)r.Values.Select(v => CustomerRows.CellText(v) ?? "").ToList()).ToList(), targets);
        var headers = new List<string>();
        var columnOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, value) in headerRow <= top.Count ? top[headerRow - 1] : new Dictionary<string, object?>())
        {
            if (value?.ToString() is { } text && !string.IsNullOrWhiteSpace(text))
            {
                if (!columnOf.ContainsKey(text))
                {
                    headers.Add(text);
                }
                columnOf[text] = column;
            }
        }
        var samples = headers.Select(h => (IReadOnlyList<string>)top.Skip(headerRow)
            .Select(r => CustomerRows.CellText(r.TryGetValue(columnOf[h], out var v) ? v : null)).OfType<string>()
            .Distinct().Take(3).Select(t => t.Length > 40 ? t[..40] + "…" : t).ToList()).ToList();
        return (headerRow, headers, samples);
    }

    private static ImportRejectedException NoHeaderRow(ImportKind kind) => kind switch
    {
        ImportKind.Leads => new ImportRejectedException("第一行应是表头（公司名称、联系人……）：请使用线索导入模板。", "The first row must be the header row (Company, Contact…): use the lead import template."),
        ImportKind.Contacts => new ImportRejectedException("第一行应是表头（客户编号或客户名称、联系人……）：请使用联系人导入模板。", "The first row must be the header row (customer number or name, contact…): use the contact import template."),
        _ => new ImportRejectedException("第一行应是表头（客户名称、关键联系人……）：请使用导入模板。", "The first row must be the header row (客户名称, 关键联系人…): use the import template."),
    };

    private async Task ForgetJobAsync(Guid jobId)
    {
        Forget(jobId);
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.ImportJobs.Where(j => j.Id == jobId && j.Status == ImportStatus.Mapping).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>
    /// Writes the checked rows (SPEC H2), a batch per transaction; resumes after the batches a stopped run
    /// committed. <paramref name="afterBatch"/> is told the rows done after each commit (progress; tests stop
    /// a run there). Cancelling stops after the batch in hand is rolled back or committed.
    /// </summary>
    public async Task<ImportJob> RunAsync(Guid jobId, Func<ImportJob, Task>? afterBatch = null, CancellationToken cancellationToken = default)
    {
        var me = Me();
        var now = clock.UtcNow;

        var staleBefore = now - StaleAfter;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var kind = await db.ImportJobs.Where(j => j.Id == jobId && j.RequestedById == me).Select(j => (ImportKind?)j.Kind).SingleOrDefaultAsync(cancellationToken);
            DemandImportRight(kind ?? ImportKind.Customers);
            var claimed = await db.ImportJobs
                .Where(j => j.Id == jobId && j.RequestedById == me && (j.Status == ImportStatus.Validated || j.Status == ImportStatus.Interrupted
                    || j.Status == ImportStatus.Cancelled || (j.Status == ImportStatus.Running && j.HeartbeatAt < staleBefore)))
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Running).SetProperty(j => j.HeartbeatAt, now)
                    .SetProperty(j => j.CancelRequested, false).SetProperty(j => j.Failure, (string?)null), cancellationToken);
            if (claimed == 0)
            {
                throw new AccessDeniedException("Error.ImportNotRunnable", "This import is running, finished, or not yours.");
            }
        }
        var job = await FindAsync(jobId, cancellationToken) ?? throw new NotFoundException(nameof(ImportJob), jobId);
        if (!HasUpload(jobId))
        {
            await FinishAsync(job, ImportStatus.Interrupted, "upload deleted");
            throw new ImportRejectedException($"上传的文件已按规定在 {settings.KeepDays} 天后删除：请重新上传（已导入的行会被识别，不会重复）。",
                $"The uploaded file was deleted after {settings.KeepDays} days: upload it again (rows already imported are recognised and not duplicated).");
        }
        try
        {
            DemandRights(job.Kind, job.Mode);
            // Checked again (a fraction of a second): the run reads the sheet the check names, under today's limits.
            var sheet = ImportFileCheck.Check(settings.FileOf(job.Id), settings);
            await using var lookup = await dbFactory.CreateDbContextAsync(cancellationToken);
            var rows = await RowsAsync(lookup, job.Kind, job.Mode, sheet.Rows, cancellationToken);
            rows.UseValues(ImportValueMap.FromJson(job.ValueMap));
            var fields = await lookup.CustomFields.AsNoTracking().Where(f => f.IsActive).ToListAsync(cancellationToken);
            var reasons = new Dictionary<ImportProblemKind, int>(ParseReasons(job.SkippedReasons));
            var chunks = Chunks(settings.FileOf(job.Id), sheet.Name, job, rows, ImportColumnMapping.FromJobJson(job.ColumnMap)?.Map, [], settings.BatchSize);
            await foreach (var chunk in ReadAhead.Of(chunks, BatchesAhead, cancellationToken))
            {
                var end = (chunk[0].Index / settings.BatchSize + 1) * settings.BatchSize;
                chunk.RemoveAll(r => r.Index < job.ProcessedRows); // committed by an earlier run (whatever its batch size was)
                if (chunk.Count == 0)
                {
                    continue;
                }
                cancellationToken.ThrowIfCancellationRequested();
                if (await lookup.ImportJobs.Where(j => j.Id == jobId).Select(j => j.CancelRequested).SingleAsync(cancellationToken))
                {
                    throw new OperationCanceledException();
                }
                await WriteBatchAsync(job, chunk, end, fields, rows, reasons, cancellationToken);
                await PublishAsync(job, cancellationToken);
                if (afterBatch is not null)
                {
                    await afterBatch(job);
                }
            }
            await FinishAsync(job, ImportStatus.Completed, null);
            await audit.RecordAsync(AuditAction.Import, job.Kind.ToString(), $"{job.FileName}: {job.Imported} imported, {job.Updated} updated, {job.Skipped} skipped",
                currentUser.UserId, currentUser.DisplayName, CancellationToken.None);
            await notifications.NotifyAsync(me, NotificationKinds.ImportFinished,
                [job.FileName, Invariant(job.Imported), Invariant(job.Updated), Invariant(job.Skipped)], new NotificationSubject(job.Kind switch { ImportKind.Leads => NotificationSubjectKind.LeadImport, ImportKind.Contacts => NotificationSubjectKind.ContactImport, _ => NotificationSubjectKind.CustomerImport }, job.Id), $"import-finished:{job.Id}", CancellationToken.None);
            File.Delete(settings.FileOf(job.Id));
        }
        catch (ImportTakenOverException)
        {
            // Another run owns the job now (it was resumed while this one was slow): leave it to that one.
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(job, ImportStatus.Cancelled, null);
        }
        catch (Exception ex)
        {
            await FinishAsync(job, ImportStatus.Interrupted, ex.Message);
            throw;
        }
        return job;
    }

    /// <summary>Drops a checked, stopped or interrupted import of mine: its upload and errors workbook are deleted, the record goes.</summary>
    public async Task DiscardAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.ImportJobs.SingleOrDefaultAsync(j => j.Id == jobId && j.RequestedById == me, cancellationToken);
        if (job is null || job.Status == ImportStatus.Running && Seen(job).Status == ImportStatus.Running)
        {
            return; // not mine, or still running: stop it first
        }
        db.ImportJobs.Remove(job);
        await db.SaveChangesAsync(cancellationToken);
        Forget(jobId);
    }

    /// <summary>Whether the upload is still kept (see <see cref="ImportCleanup"/>): without it the import cannot run.</summary>
    public bool HasUpload(Guid jobId) => File.Exists(settings.FileOf(jobId));

    /// <summary>Asks a running import of mine to stop after its current batch.</summary>
    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.ImportJobs.Where(j => j.Id == jobId && j.RequestedById == me && j.Status == ImportStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken);
    }

    /// <summary>My imports, newest first, a running one whose heartbeat stopped shown as interrupted.</summary>
    public Task<IReadOnlyList<ImportJob>> MineAsync(CancellationToken cancellationToken = default) => MineAsync(ImportKind.Customers, cancellationToken);

    /// <summary>My imports of <paramref name="kind"/>, newest first, a running one whose heartbeat stopped shown as interrupted.</summary>
    public async Task<IReadOnlyList<ImportJob>> MineAsync(ImportKind kind, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var jobs = await db.ImportJobs.AsNoTracking().Where(j => j.RequestedById == me && j.Kind == kind && j.Status != ImportStatus.Mapping).OrderByDescending(j => j.CreatedAt).Take(20).ToListAsync(cancellationToken);
        return jobs.Select(Seen).ToList();
    }

    public async Task<ImportJob?> FindAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var job = await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId && j.RequestedById == me && j.Status != ImportStatus.Mapping, cancellationToken);
        return job is null ? null : Seen(job);
    }

    /// <summary>The workbook of failing rows with a reason column, for the import's own requester.</summary>
    public async Task<string?> ErrorsWorkbookAsync(Guid jobId, CancellationToken cancellationToken = default) =>
        await FindAsync(jobId, cancellationToken) is not null && File.Exists(settings.ErrorsOf(jobId)) ? settings.ErrorsOf(jobId) : null;

    public static IReadOnlyDictionary<ImportProblemKind, int> ParseReasons(string text) => text
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split('\t'))
        .Where(p => p.Length == 2 && Enum.TryParse<ImportProblemKind>(p[0], out _))
        .ToDictionary(p => Enum.Parse<ImportProblemKind>(p[0]), p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    private void Forget(Guid jobId)
    {
        File.Delete(settings.FileOf(jobId));
        File.Delete(settings.ErrorsOf(jobId));
    }

    /// <summary>MiniExcel's and the zip reader's ways of saying a sheet passed the first checks but cannot be read after all.</summary>
    private static bool IsUnreadable(Exception ex) =>
        ex is InvalidDataException or System.Xml.XmlException or InvalidCastException or FormatException
        || (ex.Source?.StartsWith("MiniExcel", StringComparison.Ordinal) == true && ex is not OperationCanceledException);

    private ImportJob Seen(ImportJob job)
    {
        if (job.Status == ImportStatus.Running && job.HeartbeatAt < clock.UtcNow - StaleAfter)
        {
            job.Status = ImportStatus.Interrupted;
        }
        return job;
    }

    /// <summary>One batch in one transaction: the rows checked again against the database, written, and the job's progress with them.</summary>
    private async Task WriteBatchAsync(ImportJob job, List<ImportRow> chunk, int end, IReadOnlyList<CustomFieldDefinition> fields, IImportRows rows,
        Dictionary<ImportProblemKind, int> reasons, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var connection = await db.Database.ForLargeWritesAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        var (imported, updated, skipped) = (0, 0, 0);
        Dictionary<ImportProblemKind, int> after = [];
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            after = new Dictionary<ImportProblemKind, int>(reasons);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var row in chunk)
            {
                row.TargetId = null;
                row.Problems.RemoveAll(p => p.Kind is ImportProblemKind.DuplicateInDatabase or ImportProblemKind.NumberNotFound or ImportProblemKind.OutOfScope);
            }
            await rows.CheckAgainstDatabaseAsync(db, chunk, cancellationToken);
            var failing = chunk.Where(r => !r.IsValid).ToList();
            foreach (var row in failing)
            {
                after[row.Problems[0].Kind] = after.GetValueOrDefault(row.Problems[0].Kind) + 1;
            }
            if (job.Kind == ImportKind.Contacts)
            {
                (imported, updated) = await ContactRows.WriteAsync(db, chunk.Where(r => r.IsValid).ToList(), clock.UtcNow, currentUser, cancellationToken);
                skipped = failing.Count;
            }
            else
            {
                var creating = chunk.Where(r => r.IsValid && r.TargetId is null).ToList();
                if (job.Kind == ImportKind.Leads)
                {
                    await Pipeline.LeadRows.AddAsync(db, creating, clock, cancellationToken);
                }
                else if (creating.Count > 0)
                {
                    var year = clock.Today.Year;
                    var serial = await NumberSequences.ReserveAsync(db, $"CRM{year}", creating.Count, cancellationToken) - creating.Count;
                    var created = new ImportedCustomers(job.Id, clock.UtcNow, currentUser.UserId, currentUser.DisplayName);
                    foreach (var row in creating)
                    {
                        Create(created, row, CustomerNumbers.Format(year, ++serial), fields);
                    }
                    await created.WriteAsync(db, cancellationToken);
                }
                var updating = chunk.Where(r => r.IsValid && r.TargetId is not null).ToList();
                if (updating.Count > 0)
                {
                    var ids = updating.Select(r => r.TargetId!.Value).ToList();
                    var targets = await db.Customers.Include(c => c.Contacts).Include(c => c.CustomValues).Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
                    foreach (var row in updating)
                    {
                        await UpdateAsync(db, targets[row.TargetId!.Value], row, fields, cancellationToken);
                    }
                    // One event for the batch's updated customers, so their open pages re-read (new ones have no page open yet).
                    db.RecordLiveEvent(await CustomersChanged.OfAsync(db, ids, currentUser.UserId, currentUser.DisplayName, cancellationToken));
                }
                (imported, updated, skipped) = (creating.Count, updating.Count, failing.Count);
            }
            await db.SaveChangesAsync(cancellationToken);
            var reasonText = ReasonsText(after);
            var heartbeat = clock.UtcNow;
            var from = job.ProcessedRows;
            // Only the run that owns the job moves it on: a second run (a resume while this one was slow) finds
            // the job moved past what it read, and rolls back its batch instead of writing it twice.
            var moved = await db.ImportJobs.Where(j => j.Id == job.Id && j.Status == ImportStatus.Running && j.ProcessedRows == from).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.ProcessedRows, end)
                .SetProperty(j => j.Imported, j => j.Imported + imported)
                .SetProperty(j => j.Updated, j => j.Updated + updated)
                .SetProperty(j => j.Skipped, j => j.Skipped + skipped)
                .SetProperty(j => j.SkippedReasons, reasonText)
                .SetProperty(j => j.HeartbeatAt, heartbeat), cancellationToken);
            if (moved == 0)
            {
                throw new ImportTakenOverException();
            }
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, CancellationToken.None);
        CrmMetrics.ImportRowsCommitted(imported + updated + skipped);
        job.ProcessedRows = end;
        job.Imported += imported;
        job.Updated += updated;
        job.Skipped += skipped;
        job.SkippedReasons = ReasonsText(after);
        foreach (var (kind, count) in after)
        {
            reasons[kind] = count;
        }
    }

    private static string ReasonsText(IReadOnlyDictionary<ImportProblemKind, int> reasons) => string.Join('\n', reasons.Select(r => $"{r.Key}\t{r.Value}"));

    /// <summary>A new customer from the row, with its key contact and custom values, for the batch's bulk write.</summary>
    private void Create(ImportedCustomers created, ImportRow row, string number, IReadOnlyList<CustomFieldDefinition> fields)
    {
        var input = row.Customer;
        var customer = new Customer
        {
            Number = number,
            Name = input.Name,
            Industry = input.Industry,
            Size = input.Size,
            Status = row.Status ?? CustomerStatuses.New,
            Province = input.Province,
            City = input.City,
            District = input.District,
            Street = input.Street,
            Website = WithScheme(input.Website),
            CooperationHistory = input.CooperationHistory,
            Notes = input.Notes,
            OwnerId = input.OwnerId ?? currentUser.UserId,
            ExternalCode = row.ExternalCode,
            LastContactAt = row.LastContact is { } last ? clock.ToUtc(last) : null,
        };
        var contact = row.KeyContact;
        created.Add(customer, new Contact { Name = contact.Name, Title = contact.Title, Mobile = contact.Mobile, Landline = contact.Landline, Email = contact.Email, IsKey = true },
            CustomFieldRules.ToStored(customer.Id, fields, input.CustomValues, []), row.Tier, row.Tier is null ? null : CustomerRows.ImportedTierReason);
    }

    /// <summary>An update by number: the row's filled cells replace what is stored; blank cells keep it.</summary>
    private async Task UpdateAsync(CrmDbContext db, Customer customer, ImportRow row, IReadOnlyList<CustomFieldDefinition> fields, CancellationToken cancellationToken)
    {
        var input = row.Customer;
        customer.Name = string.IsNullOrEmpty(input.Name) ? customer.Name : input.Name;
        customer.Industry = input.Industry ?? customer.Industry;
        customer.Size = input.Size ?? customer.Size;
        customer.Province = input.Province ?? customer.Province;
        customer.City = input.City ?? customer.City;
        customer.District = input.District ?? customer.District;
        customer.Street = input.Street ?? customer.Street;
        customer.Website = WithScheme(input.Website) ?? customer.Website;
        customer.CooperationHistory = input.CooperationHistory ?? customer.CooperationHistory;
        customer.Notes = input.Notes ?? customer.Notes;
        if (input.OwnerId is { } owner)
        {
            customer.OwnerId = owner;
        }
        if (row.Status is { } status && status != customer.Status)
        {
            db.CustomerStatusChanges.Add(new CustomerStatusChange
            {
                CustomerId = customer.Id, FromStatus = customer.Status, ToStatus = status, Reason = SystemReasons.Of(SystemReasons.Imported),
                At = clock.UtcNow, ById = currentUser.UserId, ByName = currentUser.DisplayName,
            });
            customer.Status = status;
        }
        foreach (var value in CustomFieldRules.ToStored(customer.Id, fields, input.CustomValues, []))
        {
            var stored = customer.CustomValues.FirstOrDefault(v => v.FieldId == value.FieldId);
            if (stored is null)
            {
                customer.CustomValues.Add(value);
            }
            else
            {
                (stored.Text, stored.Number, stored.Date, stored.YesNo) = (value.Text, value.Number, value.Date, value.YesNo);
            }
        }
        var given = row.KeyContact;
        if (!string.IsNullOrEmpty(given.Name))
        {
            var contact = customer.Contacts.FirstOrDefault(c => !c.HasLeft && c.Name == given.Name);
            if (contact is null)
            {
                customer.Contacts.Add(contact = new Contact { CustomerId = customer.Id, Name = given.Name });
            }
            contact.IsKey = true;
            contact.Title = given.Title ?? contact.Title;
            contact.Mobile = given.Mobile ?? contact.Mobile;
            contact.Landline = given.Landline ?? contact.Landline;
            contact.Email = given.Email ?? contact.Email;
        }
        if (row.LastContact is { } last && clock.ToUtc(last) is var lastUtc && (customer.LastContactAt is null || lastUtc > customer.LastContactAt))
        {
            customer.LastContactAt = lastUtc;
        }
        if (row.Tier is { } tier && (tier != customer.TierOverride || !CustomerRows.IsImportedTierReason(customer.TierOverrideReason)))
        {
            ImportedTier(db, customer, tier);
        }
        customer.UpdatedAt = clock.UtcNow;
        await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, cancellationToken);
    }

    /// <summary>A tier from the sheet, pinned as a manual override (SPEC E1) with the reason "imported", and in the tier history.</summary>
    private void ImportedTier(CrmDbContext db, Customer customer, string tier)
    {
        db.TierChanges.Add(new Tiering.TierChange
        {
            CustomerId = customer.Id, FromTier = customer.Tier, ToTier = tier, IsOverride = true, Reason = CustomerRows.ImportedTierReason,
            At = clock.UtcNow, ByName = currentUser.DisplayName,
        });
        (customer.Tier, customer.TierOverride, customer.TierOverrideReason) = (tier, tier, CustomerRows.ImportedTierReason);
    }

    private async Task FinishAsync(ImportJob job, ImportStatus status, string? failure)
    {
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var clipped = failure is { Length: > 1000 } ? failure[..1000] : failure;
        await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, status)
            .SetProperty(j => j.FinishedAt, status == ImportStatus.Completed ? now : null)
            .SetProperty(j => j.Failure, clipped)
            .SetProperty(j => j.CancelRequested, false), CancellationToken.None);
        (job.Status, job.Failure) = (status, clipped);
        job.FinishedAt = status == ImportStatus.Completed ? now : null;
        await PublishAsync(job, CancellationToken.None);
    }

    private Task PublishAsync(ImportJob job, CancellationToken cancellationToken) =>
        liveEvents.PublishAsync(new ImportProgressed(job.Id, job.Imported + job.Updated + job.Skipped, job.TotalRows, job.Status.ToString())
        {
            Audience = [Audience.ForUser(job.RequestedById)],
        }, cancellationToken);

    /// <summary>
    /// The rows of <paramref name="sheet"/> (named by <see cref="ImportFileCheck.Check"/>, which scanned it) under the job's
    /// header row, a batch at a time (batches cut by row position, so a resumed run cuts them the same way), within the row
    /// limit, read through <paramref name="map"/> (null for a job checked before mappings were kept: the proposed one); the
    /// headings it does not read are added to <paramref name="ignored"/>.
    /// </summary>
    private IEnumerable<List<ImportRow>> Chunks(string path, string sheet, ImportJob job, IImportRows rows, IReadOnlyDictionary<string, string>? map, List<string> ignored, int size)
    {
        var chunk = new List<ImportRow>();
        var index = -1;
        var count = 0;
        foreach (IDictionary<string, object?> cells in MiniExcel.Query(path, useHeaderRow: true, sheetName: sheet, startCell: $"A{job.HeaderRow}"))
        {
            if (++index == 0)
            {
                var headers = cells.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
                map ??= ImportColumnMapping.MapOf(ImportColumnMapping.Propose(headers, rows.Targets).Select(p => (p.Header, p.Target)));
                rows.UseColumns(map);
                ignored.AddRange(headers.Where(h => !map.ContainsKey(h)));
            }
            if (cells.Values.All(v => v is null || (v is string text && string.IsNullOrWhiteSpace(text))))
            {
                continue; // a blank line between rows
            }
            if (++count > settings.MaxRows)
            {
                throw ImportFileCheck.TooManyRows(settings);
            }
            if (chunk.Count > 0 && index / size != chunk[0].Index / size)
            {
                yield return chunk;
                chunk = [];
            }
            chunk.Add(rows.Read(cells, index, job.HeaderRow + 1 + index));
        }
        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>A failing row as the user wrote it, with a reason column and its row number: fix it there and import that file.</summary>
    private static Dictionary<string, object?> ErrorRow(IDictionary<string, object?> cells, string reason, int rowNumber)
    {
        var row = cells.Where(c => !string.IsNullOrWhiteSpace(c.Key)).ToDictionary(c => ExcelText.Neutralize(c.Key), c => ExcelText.NeutralizeCell(c.Value));
        row["错误原因"] = reason;
        row["原行号"] = rowNumber;
        return row;
    }

    private async Task CopyWithinLimitAsync(Stream content, string path, CancellationToken cancellationToken)
    {
        await using var file = File.Create(path);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > settings.MaxBytes)
            {
                throw ImportFileCheck.TooLarge(settings);
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string? WithScheme(string? url) => url is null ? null : CustomerService.WithScheme(url);

    /// <param name="sheetRows">The rows the sheet runs to (<see cref="ImportSheet.Rows"/>): what the in-file duplicate checks make room for.</param>
    private async Task<IImportRows> RowsAsync(CrmDbContext db, ImportKind kind, ImportMode mode, int sheetRows, CancellationToken cancellationToken) => kind switch
    {
        ImportKind.Leads => await Pipeline.LeadRows.LoadAsync(db, currentUser, sheetRows, cancellationToken),
        ImportKind.Contacts => ContactRows.Load(db, mode, currentUser, sheetRows),
        _ => await CustomerRows.LoadAsync(db, mode, currentUser, clock.Today, sheetRows, cancellationToken),
    };

    /// <summary>The right to import this kind: customers are the Importing module's, leads the Pipeline module's.</summary>
    private void DemandImportRight(ImportKind kind)
    {
        if (kind == ImportKind.Leads)
        {
            permissions.Demand(currentUser, Module.Pipeline, Operation.Import);
        }
        else
        {
            permissions.Demand(currentUser, Module.Importing, Operation.Import);
        }
    }

    /// <summary>
    /// Importing creates customers or leads (and, by number, edits customers), or adds contacts to customers (an edit of
    /// the customer, as on its page): the import right alone is not enough.
    /// </summary>
    private void DemandRights(ImportKind kind, ImportMode mode)
    {
        DemandImportRight(kind);
        if (kind == ImportKind.Leads)
        {
            permissions.Demand(currentUser, Module.Pipeline, Operation.Create);
            return;
        }
        if (kind == ImportKind.Contacts)
        {
            permissions.Demand(currentUser, Module.Customers, Operation.Edit);
            return;
        }
        permissions.Demand(currentUser, Module.Customers, Operation.Create);
        if (mode == ImportMode.CreateOrUpdate)
        {
            permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        }
    }

    private Guid Me() => currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
}
