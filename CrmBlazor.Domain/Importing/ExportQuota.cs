using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// Issue 12, exports: the approval threshold cannot be sliced around. An export waits for an approval when it
/// holds more than <see cref="ExportOptions.ApprovalRows"/> rows, or when the rows its user exported without
/// an approval in the last 24 hours (rolling, from <see cref="TimeProvider"/>) plus its own exceed
/// <see cref="ExportOptions.RollingQuota"/>. Rows exported under an approval are recorded but not counted:
/// an approver has seen them (docs/decisions/0008).
/// </summary>
public sealed class ExportQuota(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, TimeProvider time, IOptions<ExportOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>Rows the caller exported without an approval in the last 24 hours.</summary>
    public async Task<int> UsedAsync(CancellationToken cancellationToken = default)
    {
        var userId = UserId();
        var since = time.GetUtcNow().UtcDateTime - Window;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ExportRecords.Where(r => r.UserId == userId && r.At > since && r.ApprovalId == null)
            .SumAsync(r => (int?)r.Rows, cancellationToken) ?? 0;
    }

    /// <summary>Whether an export of <paramref name="rows"/> rows by the caller must wait for an approval.</summary>
    public async Task<bool> NeedsApprovalAsync(int rows, CancellationToken cancellationToken = default) =>
        rows > options.Value.ApprovalRows || await UsedAsync(cancellationToken) + rows > options.Value.RollingQuota;

    /// <summary>Counts an export of the caller's: at its start, so a long-running one already counts.</summary>
    public async Task RecordAsync(int rows, Guid? approvalId, CancellationToken cancellationToken = default)
    {
        var userId = UserId();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ExportRecords.Add(new ExportRecord { UserId = userId, At = time.GetUtcNow().UtcDateTime, Rows = rows, ApprovalId = approvalId });
        await db.SaveChangesAsync(cancellationToken);
    }

    private Guid UserId() => currentUser.UserId ?? throw new InvalidOperationException("An export is counted against a signed-in user.");
}
