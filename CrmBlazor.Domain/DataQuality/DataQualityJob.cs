using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.DataQuality;

/// <summary>The company's data-quality figures in a month (the trend), as last recorded in it, and whether its checklist was opened.</summary>
public sealed class QualityMonth
{
    public required string Month { get; set; }
    public DateTime RefreshedAt { get; set; }
    public DateTime? ChecklistOpenedAt { get; set; }
    public int ChecklistOpened { get; set; }
    public int Customers { get; set; }
    public int Clean { get; set; }
    public int MissingIndustry { get; set; }
    public int MissingRegion { get; set; }
    public int NoKeyContactReach { get; set; }
    public int InvalidPhone { get; set; }
    public int Stale { get; set; }
}

/// <summary>
/// The data-quality month (SPEC H5, H4), checked every minute on every instance. Each pass finds again the duplicate pairs
/// of the customers changed since the last (<see cref="DuplicateScan.RecheckPendingAsync"/>; a queue longer than
/// <see cref="FullScanBeyond"/>, after a big import, is a full scan instead). The first pass of a month claims the month's
/// row (one instance wins the insert), rebuilds every duplicate pair, opens the month's cleaning checklist and records the
/// figures; the first pass of each later day records them again, so a past month keeps its last figures.
/// </summary>
public sealed class DataQualityJob(IDbContextFactory<CrmDbContext> dbFactory, CompanyClock clock)
{
    public const int FullScanBeyond = 20_000;

    /// <returns>Whether this instance did the day's work now.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        var (month, now) = (clock.Month, clock.UtcNow);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // More waiting than an incremental pass takes? The order does not change the answer; without one EF warns at start-up.
        if (await db.DuplicateRechecks.OrderBy(r => r.Id).Skip(FullScanBeyond).AnyAsync(cancellationToken))
        {
            await DuplicateScan.ScanAllAsync(db, cancellationToken);
        }
        else
        {
            await DuplicateScan.RecheckPendingAsync(db, cancellationToken);
        }
        var row = await db.QualityMonths.AsNoTracking().SingleOrDefaultAsync(m => m.Month == month, cancellationToken);
        if (row is null)
        {
            if (!await db.InsertUnlessExistsAsync(
                    $"IF NOT EXISTS (SELECT 1 FROM [QualityMonths] WITH (UPDLOCK, HOLDLOCK) WHERE [Month] = {month}) INSERT INTO [QualityMonths] ([Month], [RefreshedAt], [ChecklistOpened], [Customers], [Clean], [MissingIndustry], [MissingRegion], [NoKeyContactReach], [InvalidPhone], [Stale]) VALUES ({month}, {now}, 0, 0, 0, 0, 0, 0, 0, 0)",
                    $"INSERT INTO \"QualityMonths\" (\"Month\", \"RefreshedAt\", \"ChecklistOpened\", \"Customers\", \"Clean\", \"MissingIndustry\", \"MissingRegion\", \"NoKeyContactReach\", \"InvalidPhone\", \"Stale\") VALUES ({month}, {now}, 0, 0, 0, 0, 0, 0, 0, 0) ON CONFLICT (\"Month\") DO NOTHING",
                    cancellationToken))
            {
                return false;
            }
        }
        else if (row.RefreshedAt >= clock.StartOfDayUtc(clock.Today)
                 || await db.QualityMonths.Where(m => m.Month == month && m.RefreshedAt == row.RefreshedAt)
                     .ExecuteUpdateAsync(s => s.SetProperty(m => m.RefreshedAt, now), cancellationToken) == 0)
        {
            return false;
        }
        var staleBefore = now.AddMonths(-DataQualityService.DefaultStaleMonths);
        if (row?.ChecklistOpenedAt is null)
        {
            // Opening is idempotent (a customer with an open line gets no second one), so a pass cut short is finished by the next day's.
            await DuplicateScan.ScanAllAsync(db, cancellationToken);
            var opened = await CleaningChecklist.OpenAsync(db, month, staleBefore, cancellationToken);
            await db.QualityMonths.Where(m => m.Month == month).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ChecklistOpenedAt, clock.UtcNow).SetProperty(m => m.ChecklistOpened, m => m.ChecklistOpened + opened), cancellationToken);
        }
        var figures = await DataQualityService.FiguresAsync(db.Customers, staleBefore, wholeBase: true, cancellationToken);
        await db.QualityMonths.Where(m => m.Month == month).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Customers, figures.Customers).SetProperty(m => m.Clean, figures.Clean)
            .SetProperty(m => m.MissingIndustry, figures.Issues[QualityIssue.MissingIndustry])
            .SetProperty(m => m.MissingRegion, figures.Issues[QualityIssue.MissingRegion])
            .SetProperty(m => m.NoKeyContactReach, figures.Issues[QualityIssue.NoKeyContactReach])
            .SetProperty(m => m.InvalidPhone, figures.Issues[QualityIssue.InvalidPhone])
            .SetProperty(m => m.Stale, figures.Issues[QualityIssue.Stale]), cancellationToken);
        return true;
    }
}
