using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Uploads;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>A ticket's attachment as the ticket page lists it.</summary>
public sealed record TicketAttachmentItem(Guid Id, string FileName, string ContentType, long Size, string? UploadedByName, DateTime UploadedAt);

/// <summary>
/// Ticket attachments (SPEC G1): the same content-checked, size-capped storage as demand evidence
/// (<see cref="UploadedFiles"/>), counted against the user's <see cref="UploadLimiter"/>. Adding files is a change of the
/// ticket — one history row per file, told live — and downloading one is audited; both within <see cref="TicketScope"/>.
/// </summary>
public sealed class TicketAttachmentService(
    IDbContextFactory<CrmDbContext> dbFactory,
    ICurrentUser currentUser,
    Permissions permissions,
    ILiveEvents liveEvents,
    UploadedFiles uploadedFiles,
    UploadLimiter uploads,
    AuditLog auditLog,
    CompanyClock clock)
{
    private const string Field = "Attachments";

    /// <summary>
    /// Attaches the files to the ticket: every one is checked (type by content, size) and all are kept or none. Like a
    /// comment it only adds, so it carries no version: a concurrent change of the ticket is re-read, not reported.
    /// </summary>
    public async Task<IReadOnlyList<TicketAttachmentItem>> AddAsync(Guid ticketId, IReadOnlyList<FileUpload> files, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.Edit);
        if (files.Count == 0)
        {
            throw new ValidationFailedException([new ValidationError(Field, "Validation.UploadRequired", "Choose a file to attach.")]);
        }
        uploadedFiles.CheckCount(files.Count, Field);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await db.VisibleTicketAsync(currentUser, ticketId, cancellationToken); // nothing is read or stored for a ticket out of scope
        }
        uploads.Take(currentUser);
        var saved = await uploadedFiles.SaveAllAsync(files, Field, cancellationToken);
        try
        {
            var rows = await RecordAsync(ticketId, saved, cancellationToken);
            return rows.Select(Item).ToList();
        }
        catch
        {
            uploadedFiles.DeleteStored(saved.Select(f => f.StoredName));
            throw;
        }
    }

    /// <summary>An attachment's file, for a user who may see its ticket (the download is audited); anyone else gets not-found.</summary>
    public async Task<(TicketAttachmentItem Attachment, Stream Content)> OpenAsync(Guid attachmentId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attachment = await (
            from a in db.TicketAttachments
            join t in db.Tickets.VisibleTo(db, currentUser) on a.TicketId equals t.Id
            where a.Id == attachmentId
            select a).AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(nameof(TicketAttachment), attachmentId);
        var content = uploadedFiles.Open(attachment.StoredName);
        try
        {
            await auditLog.RecordAsync(AuditAction.Download, nameof(TicketAttachment), attachment.Id.ToString(), currentUser.UserId, currentUser.DisplayName, cancellationToken);
        }
        catch
        {
            await content.DisposeAsync();
            throw;
        }
        return (Item(attachment), content);
    }

    /// <summary>A ticket's attachments in the order they came; the caller has checked the ticket is visible.</summary>
    internal static Task<List<TicketAttachmentItem>> ListAsync(CrmDbContext db, Guid ticketId, CancellationToken cancellationToken) =>
        db.TicketAttachments.AsNoTracking().Where(a => a.TicketId == ticketId).OrderBy(a => a.UploadedAt).ThenBy(a => a.FileName)
            .Select(a => new TicketAttachmentItem(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedByName, a.UploadedAt))
            .ToListAsync(cancellationToken);

    private async Task<List<TicketAttachment>> RecordAsync(Guid ticketId, List<StoredFile> saved, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var ticket = await db.VisibleTicketAsync(currentUser, ticketId, cancellationToken);
            var now = clock.UtcNow;
            var rows = saved.Select(f => new TicketAttachment
            {
                TicketId = ticket.Id, FileName = f.FileName, StoredName = f.StoredName, ContentType = f.ContentType, Size = f.Size,
                UploadedAt = now, UploadedById = currentUser.UserId, UploadedByName = currentUser.DisplayName,
            }).ToList();
            db.TicketAttachments.AddRange(rows);
            foreach (var row in rows)
            {
                db.TicketHistory.Add(new TicketHistory
                {
                    TicketId = ticket.Id, Sequence = ++ticket.HistoryCount, At = now, ByUserId = currentUser.UserId, ByName = currentUser.DisplayName,
                    Field = TicketFields.Attachment, To = row.FileName.Length <= 200 ? row.FileName : row.FileName[..200],
                });
            }
            ticket.UpdatedAt = now; // the ticket row changes, so open pages see the new files through its version
            var ownerId = await db.Customers.Where(c => c.Id == ticket.CustomerId).Select(c => c.OwnerId).SingleAsync(cancellationToken);
            await TicketLive.RecordAsync(db, ticket, ownerId, currentUser.UserId, currentUser.DisplayName, cancellationToken);
            try
            {
                await db.SaveOrConflictAsync(ticket, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (attempt < 2)
            {
                // Someone changed the ticket meanwhile: attach the files to the ticket as it is now.
                continue;
            }
            await db.PublishRecordedAsync(liveEvents, cancellationToken);
            return rows;
        }
    }

    private static TicketAttachmentItem Item(TicketAttachment a) => new(a.Id, a.FileName, a.ContentType, a.Size, a.UploadedByName, a.UploadedAt);
}
