using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Notifications;

public sealed record NotificationView(Guid Id, string Kind, IReadOnlyList<string> Values, NotificationSubject? Subject, DateTime CreatedAt, bool IsRead);

/// <summary>
/// The notification centre (SPEC C4): stores a notification once per event, tells the user's open
/// tabs live (on whichever instance), lists them, and marks them read everywhere at once.
/// </summary>
public sealed class NotificationService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, ILiveEvents liveEvents, TimeProvider time)
{
    /// <summary>Stores the notification unless one with the same key exists; only a stored one is sent. Returns whether it was new.</summary>
    public async Task<bool> NotifyAsync(Guid userId, string kind, IReadOnlyList<string> values, NotificationSubject? subject, string dedupKey, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var notification = new Notification
        {
            UserId = userId,
            Kind = kind,
            Values = JsonSerializer.Serialize(values),
            Subject = subject?.ToString(),
            DedupKey = dedupKey,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        // The unique key decides: a second writer of the same event inserts nothing. The bell's event goes in the
        // same transaction as the row, so it is told even if this process dies right after the commit.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var inserted = await db.InsertUnlessExistsAsync(
                $"IF NOT EXISTS (SELECT 1 FROM [Notifications] WITH (UPDLOCK, HOLDLOCK) WHERE [DedupKey] = {dedupKey}) INSERT INTO [Notifications] ([Id], [UserId], [Kind], [Values], [Subject], [DedupKey], [CreatedAt]) VALUES ({notification.Id}, {userId}, {kind}, {notification.Values}, {notification.Subject}, {dedupKey}, {notification.CreatedAt})",
                $"INSERT INTO \"Notifications\" (\"Id\", \"UserId\", \"Kind\", \"Values\", \"Subject\", \"DedupKey\", \"CreatedAt\") VALUES ({notification.Id}, {userId}, {kind}, {notification.Values}, {notification.Subject}, {dedupKey}, {notification.CreatedAt}) ON CONFLICT (\"DedupKey\") DO NOTHING",
                cancellationToken);
        if (!inserted)
        {
            return false;
        }
        db.RecordLiveEvent(new NotificationsChanged(userId) { Audience = [Audience.ForUser(userId)] });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
        return true;
    }

    /// <summary>
    /// Adds a notification to the caller's next save — the same transaction as the change it tells of — with the live
    /// event that rings the bell (recorded in the outbox, published by the caller's <c>PublishRecordedAsync</c>). For
    /// a user's own action, whose dedup key is unique to it; jobs that may race use <see cref="NotifyAsync"/>.
    /// </summary>
    public void Stage(CrmDbContext db, Guid userId, string kind, IReadOnlyList<string> values, NotificationSubject? subject, string dedupKey)
    {
        db.Notifications.Add(new Notification
        {
            UserId = userId,
            Kind = kind,
            Values = JsonSerializer.Serialize(values),
            Subject = subject?.ToString(),
            DedupKey = dedupKey,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        });
        db.RecordLiveEvent(new NotificationsChanged(userId) { Audience = [Audience.ForUser(userId)] });
    }

    /// <summary>My latest notifications, newest first; with <paramref name="kinds"/>, only those kinds.</summary>
    public async Task<IReadOnlyList<NotificationView>> MineAsync(int take = 50, IReadOnlyCollection<string>? kinds = null, CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == me);
        if (kinds is not null)
        {
            query = query.Where(n => kinds.Contains(n.Kind));
        }
        var rows = await query
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(take).ToListAsync(cancellationToken);
        return rows.Select(n => new NotificationView(n.Id, n.Kind, JsonSerializer.Deserialize<List<string>>(n.Values) ?? [], NotificationSubject.Parse(n.Subject), n.CreatedAt, n.ReadAt is not null)).ToList();
    }

    public async Task<int> UnreadCountAsync(CancellationToken cancellationToken = default)
    {
        var me = Me();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Notifications.CountAsync(n => n.UserId == me && n.ReadAt == null, cancellationToken);
    }

    /// <summary>Marks one (or, with null, all) of my notifications read, and tells my other tabs.</summary>
    public async Task MarkReadAsync(Guid? id, CancellationToken cancellationToken = default)
    {
        var me = Me();
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var changed = await db.Notifications.Where(n => n.UserId == me && n.ReadAt == null && (id == null || n.Id == id))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), cancellationToken);
        if (changed > 0)
        {
            db.RecordLiveEvent(new NotificationsChanged(me) { Audience = [Audience.ForUser(me)] });
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        await db.PublishRecordedAsync(liveEvents, cancellationToken);
    }

    private Guid Me() => currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
}
