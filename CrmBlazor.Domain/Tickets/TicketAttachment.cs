using CrmBlazor.Domain.Common;

namespace CrmBlazor.Domain.Tickets;

/// <summary>
/// A file attached to a ticket (SPEC G1): checked and stored like demand evidence (<see cref="Uploads.UploadedFiles"/>),
/// outside wwwroot under <see cref="StoredName"/>; its row is audited.
/// </summary>
public sealed class TicketAttachment : Entity, IAudited
{
    public Guid TicketId { get; set; }
    public required string FileName { get; set; }
    public required string StoredName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public DateTime UploadedAt { get; set; }
    public Guid? UploadedById { get; set; }
    public string? UploadedByName { get; set; }
}
