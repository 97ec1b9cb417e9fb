using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Domain.Uploads;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Feedback;

/// <summary>
/// Feedback (SPEC I3): any signed-in user sends it from a page; Admin (the matrix's Feedback module) lists it, sets its
/// status and replies; the sender is notified of each answer, live. A screenshot goes through the same size cap and
/// content check as demand evidence, and is kept beside it under a generated name.
/// </summary>
public sealed class FeedbackService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    UploadedFiles uploadedFiles,
    UploadLimiter uploads,
    NotificationService notifications)
{
    /// <summary>Notification kind. Values: the new <see cref="FeedbackStatus"/> (its name), the start of the feedback, the reply (may be empty).</summary>
    public const string AnsweredKind = "feedback-answered";

    private const int ExcerptLength = 40;
    private static readonly string[] ScreenshotExtensions = [".png", ".jpg", ".jpeg"];

    public long ScreenshotMaxBytes => uploadedFiles.MaxBytes;

    /// <summary>Stores the user's feedback; checks text and page before the screenshot is read, so a bad form keeps no file.</summary>
    public async Task<Guid> SubmitAsync(FeedbackInput input, FileUpload? screenshot = null, CancellationToken cancellationToken = default)
    {
        var sender = currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
        var text = input.Text?.Trim() ?? "";
        var errors = new List<ValidationError>();
        if (text.Length == 0)
        {
            errors.Add(new ValidationError(nameof(FeedbackItem.Text), "Validation.FeedbackTextRequired", "Say what should be better."));
        }
        else if (text.Length > FeedbackItem.TextMaxLength)
        {
            errors.Add(new ValidationError(nameof(FeedbackItem.Text), "Validation.FeedbackTextTooLong", $"At most {FeedbackItem.TextMaxLength} characters.", FeedbackItem.TextMaxLength));
        }
        var page = RelativePage(input.Page);
        if (page is null)
        {
            errors.Add(new ValidationError(nameof(FeedbackItem.Page), "Validation.FeedbackPage", "The page must be an address inside the CRM."));
        }
        if (screenshot is not null && !ScreenshotExtensions.Contains(Path.GetExtension(screenshot.FileName), StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(new ValidationError("Screenshot", "Validation.FeedbackScreenshotType", $"{screenshot.FileName}: a screenshot must be a PNG or JPEG image.", Path.GetFileName(screenshot.FileName)));
        }
        ValidationFailedException.ThrowIfAny(errors);

        var item = new FeedbackItem { SenderId = sender, Text = text, Page = page! };
        StoredFile? stored = null;
        if (screenshot is not null)
        {
            uploads.Take(currentUser);
            stored = await uploadedFiles.SaveAsync(screenshot, "Screenshot", cancellationToken);
            item.ScreenshotName = stored.FileName;
            item.ScreenshotStoredName = stored.StoredName;
            item.ScreenshotContentType = stored.ContentType;
        }
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.FeedbackItems.Add(item);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            if (stored is not null)
            {
                uploadedFiles.DeleteStored([stored.StoredName]);
            }
            throw;
        }
        return item.Id;
    }

    /// <summary>Admin's improvement list, newest first, optionally one status only; a page at a time.</summary>
    public async Task<PagedResult<FeedbackListItem>> ListAsync(FeedbackStatus? status, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Feedback, Operation.View);
        pageSize = Math.Clamp(pageSize, 1, 200);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = db.FeedbackItems.AsNoTracking().Where(f => status == null || f.Status == status);
        var total = await items.CountAsync(cancellationToken);
        var rows = await (from f in items
                          join u in db.Users on f.SenderId equals u.Id into senders
                          from u in senders.DefaultIfEmpty()
                          orderby f.CreatedAt descending, f.Id descending
                          select new FeedbackListItem(f.Id, f.Text, f.Page, u != null ? u.DisplayName : "", f.CreatedAt, f.Status, f.Reply != null, f.ScreenshotStoredName != null))
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<FeedbackListItem>(rows, total);
    }

    public async Task<FeedbackDetail> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Feedback, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (from f in db.FeedbackItems.AsNoTracking()
                      where f.Id == id
                      join u in db.Users on f.SenderId equals u.Id into senders
                      from u in senders.DefaultIfEmpty()
                      select new FeedbackDetail(f.Id, f.Version, f.Text, f.Page, u != null ? u.DisplayName : "", f.CreatedAt, f.Status, f.Reply, f.ScreenshotName))
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(nameof(FeedbackItem), id);
    }

    /// <summary>
    /// Sets the status and the reply of the version Admin saw (a newer one is a conflict). The change is audited by the
    /// save; when it changed anything the sender sees, the sender is notified, live.
    /// </summary>
    public async Task<FeedbackDetail> AnswerAsync(Guid id, int version, FeedbackStatus status, string? reply, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Feedback, Operation.Edit);
        if (!Enum.IsDefined(status))
        {
            throw new ValidationFailedException([new ValidationError(nameof(FeedbackItem.Status), "Validation.FeedbackStatus", "Choose a status.")]);
        }
        reply = string.IsNullOrWhiteSpace(reply) ? null : reply.Trim();
        if (reply is { Length: > FeedbackItem.ReplyMaxLength })
        {
            throw new ValidationFailedException([new ValidationError(nameof(FeedbackItem.Reply), "Validation.FeedbackReplyTooLong", $"At most {FeedbackItem.ReplyMaxLength} characters.", FeedbackItem.ReplyMaxLength)]);
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var item = await db.FeedbackItems.SingleOrDefaultAsync(f => f.Id == id, cancellationToken) ?? throw new NotFoundException(nameof(FeedbackItem), id);
            db.ExpectVersion(item, version);
            if (item.Status == status && item.Reply == reply)
            {
                return await GetAsync(id, cancellationToken);
            }
            item.Status = status;
            item.Reply = reply;
            await db.SaveOrConflictAsync(item, cancellationToken);
            if (item.SenderId != currentUser.UserId)
            {
                await notifications.NotifyAsync(item.SenderId, AnsweredKind, [status.ToString(), Excerpt(item.Text), reply ?? ""],
                    NotificationSubject.MyFeedback, $"{AnsweredKind}:{item.Id}:{item.Version}", cancellationToken);
            }
        }
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>The feedback I sent, newest first, with where each stands.</summary>
    public async Task<IReadOnlyList<MyFeedback>> MineAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        var me = currentUser.UserId ?? throw new AccessDeniedException("Error.SignInRequired", "Sign in first.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.FeedbackItems.AsNoTracking().Where(f => f.SenderId == me)
            .OrderByDescending(f => f.CreatedAt).ThenByDescending(f => f.Id).Take(take)
            .Select(f => new MyFeedback(f.Id, f.Text, f.Page, f.CreatedAt, f.Status, f.Reply, f.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>An item's screenshot for Admin's preview; not found when it has none.</summary>
    public async Task<FeedbackScreenshot> OpenScreenshotAsync(Guid id, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Feedback, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var shot = await db.FeedbackItems.AsNoTracking().Where(f => f.Id == id && f.ScreenshotStoredName != null)
            .Select(f => new { f.ScreenshotName, f.ScreenshotStoredName, f.ScreenshotContentType })
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(nameof(FeedbackScreenshot), id);
        return new FeedbackScreenshot(shot.ScreenshotName!, shot.ScreenshotContentType!, uploadedFiles.Open(shot.ScreenshotStoredName!));
    }

    /// <summary>The page as an app-relative URL ("/" when none was given); null for anything that leaves the app.</summary>
    public static string? RelativePage(string? page)
    {
        page = string.IsNullOrWhiteSpace(page) ? "/" : page.Trim();
        if (!page.StartsWith('/'))
        {
            page = "/" + page;
        }
        if (page.StartsWith("//", StringComparison.Ordinal) || page.StartsWith("/\\", StringComparison.Ordinal)
            || page.Contains("://", StringComparison.Ordinal) || page.Any(char.IsControl))
        {
            return null;
        }
        return page.Length <= FeedbackItem.PageMaxLength ? page : page[..FeedbackItem.PageMaxLength];
    }

    private static string Excerpt(string text) => text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "…";
}
