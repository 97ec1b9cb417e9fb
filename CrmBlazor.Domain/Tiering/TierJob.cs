using System.Globalization;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tiering;

/// <summary>
/// The monthly tier evaluation (SPEC E1, J3), checked every minute on every instance: the first pass of
/// a month inserts that month's <see cref="TierEvaluationRun"/>; the unique key lets exactly one
/// instance win the insert and run the evaluation.
/// </summary>
public sealed class TierJob(IDbContextFactory<CrmDbContext> dbFactory, TierService tiers, CompanyClock clock)
{
    /// <returns>Whether this instance ran this month's evaluation now.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        var month = clock.Month;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var started = clock.UtcNow;
        var run = await db.TierEvaluationRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Month == month, cancellationToken);
        if (run is not null)
        {
            // A run that started an hour ago and never finished (a crash, a restart) is taken over, by one instance.
            var stale = started.AddHours(-1);
            if (run.FinishedAt is not null || run.StartedAt > stale
                || await db.TierEvaluationRuns.Where(r => r.Month == month && r.FinishedAt == null && r.StartedAt <= stale)
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.StartedAt, started), cancellationToken) == 0)
            {
                return false;
            }
            return await EvaluateAsync(db, month, cancellationToken);
        }
        var claimed = await db.InsertUnlessExistsAsync(
                $"IF NOT EXISTS (SELECT 1 FROM [TierEvaluationRuns] WITH (UPDLOCK, HOLDLOCK) WHERE [Month] = {month}) INSERT INTO [TierEvaluationRuns] ([Month], [StartedAt], [Changed]) VALUES ({month}, {started}, 0)",
                $"INSERT INTO \"TierEvaluationRuns\" (\"Month\", \"StartedAt\", \"Changed\") VALUES ({month}, {started}, 0) ON CONFLICT (\"Month\") DO NOTHING",
                cancellationToken);
        if (!claimed)
        {
            return false;
        }
        return await EvaluateAsync(db, month, cancellationToken);
    }

    private async Task<bool> EvaluateAsync(CrmDbContext db, string month, CancellationToken cancellationToken)
    {
        var changed = await tiers.RunEvaluationAsync(null, "monthly evaluation", cancellationToken);
        await db.TierEvaluationRuns.Where(r => r.Month == month)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, clock.UtcNow).SetProperty(r => r.Changed, changed), cancellationToken);
        return true;
    }
}
