using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tickets;

internal sealed class TicketFollowUpConfiguration : IEntityTypeConfiguration<TicketFollowUp>
{
    public void Configure(EntityTypeBuilder<TicketFollowUp> builder)
    {
        builder.Property(f => f.Comment).HasMaxLength(2000);
        builder.Property(f => f.ByName).HasMaxLength(100);
        builder.Property(f => f.Category).HasMaxLength(64);
        builder.Property(f => f.Version).IsConcurrencyToken();
        builder.HasOne<Ticket>().WithMany().HasForeignKey(f => f.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => new { f.TicketId, f.Round }).IsUnique();
        // The satisfaction report reads a date range.
        builder.HasIndex(f => f.At);
    }
}
