using System.Globalization;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tiering;

/// <summary>
/// The monthly tier evaluation (SPEC E1, J3), checked every minute on every instance: the first pass of
/// a month inserts that month's <see cref="TierEvaluationRun"/>; the unique key lets exactly one
/// instance win the insert and run the evaluation.
/// </summary>
public sealed class TierJob(IDbContextFactory<CrmDbContext> dbFactory, TierService tiers, TimeProvider time)
{
    /// <returns>Whether this instance ran this month's evaluation now.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        var month = time.GetLocalNow().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.TierEvaluationRuns.AnyAsync(r => r.Month == month, cancellationToken))
        {
            return false;
        }
        var started = time.GetUtcNow().UtcDateTime;
        var claimed = db.Database.IsSqlServer()
            ? await db.Database.ExecuteSqlAsync(
                $"IF NOT EXISTS (SELECT 1 FROM [TierEvaluationRuns] WITH (UPDLOCK, HOLDLOCK) WHERE [Month] = {month}) INSERT INTO [TierEvaluationRuns] ([Month], [StartedAt], [Changed]) VALUES ({month}, {started}, 0)",
                cancellationToken)
            : await db.Database.ExecuteSqlAsync(
                $"INSERT INTO \"TierEvaluationRuns\" (\"Month\", \"StartedAt\", \"Changed\") VALUES ({month}, {started}, 0) ON CONFLICT (\"Month\") DO NOTHING",
                cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        var changed = await tiers.RunEvaluationAsync("monthly evaluation", cancellationToken);
        await db.TierEvaluationRuns.Where(r => r.Month == month)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.FinishedAt, time.GetUtcNow().UtcDateTime).SetProperty(r => r.Changed, changed), cancellationToken);
        return true;
    }
}
