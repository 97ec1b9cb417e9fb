using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tickets;

internal sealed class TicketAttachmentConfiguration : IEntityTypeConfiguration<TicketAttachment>
{
    public void Configure(EntityTypeBuilder<TicketAttachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(255);
        builder.Property(a => a.StoredName).HasMaxLength(64);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.UploadedByName).HasMaxLength(100);
        builder.HasOne<Ticket>().WithMany().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.TicketId, a.UploadedAt });
    }
}
