using CrmBlazor.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tickets;

internal sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> builder)
    {
        builder.Property(t => t.Number).HasMaxLength(16);
        builder.HasIndex(t => t.Number).IsUnique();
        builder.Property(t => t.Category).HasMaxLength(64);
        builder.Property(t => t.ProductModule).HasMaxLength(100);
        builder.Property(t => t.Title).HasMaxLength(200);
        builder.Property(t => t.Description).HasMaxLength(4000);
        builder.Property(t => t.Severity).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Channel).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.QueueReason).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.SlaMode).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Version).IsConcurrencyToken();
        builder.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<SupportGroup>().WithMany().HasForeignKey(t => t.GroupId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Access.AppUser>().WithMany().HasForeignKey(t => t.AssigneeId).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne<Ticket>().WithMany().HasForeignKey(t => t.ReopenedFromId).OnDelete(DeleteBehavior.NoAction);
        // The board and the list filter by group or assignee and status, and sort by the deadlines. A group's urgency order
        // (TicketQueries.Sorted) is computed from five columns: this index holds them and the id, so a page of a group's
        // 36,000 tickets is chosen from the index alone (bench: tickets); the done columns show the latest resolved.
        builder.HasIndex(t => new { t.GroupId, t.Status, t.PausedSince, t.FirstResponseAt, t.ResponseDueAt, t.ResolutionDueAt, t.Number, t.Id });
        builder.HasIndex(t => new { t.GroupId, t.Status, t.ResolvedAt });
        builder.HasIndex(t => new { t.AssigneeId, t.Status, t.ResolutionDueAt });
        builder.HasIndex(t => new { t.Status, t.ResponseDueAt });
        builder.HasIndex(t => new { t.CustomerId, t.CreatedAt });
        // The SLA pass (TicketSlaJob) seeks its candidates: unanswered or unresolved, running, not yet told, instant passed.
        builder.HasIndex(t => new { t.FirstResponseAt, t.ResponseWarnedAt, t.ResponseWarnAt });
        builder.HasIndex(t => new { t.FirstResponseAt, t.ResponseBreachedAt, t.ResponseDueAt });
        builder.HasIndex(t => new { t.ResolvedAt, t.PausedSince, t.ResolutionWarnedAt, t.ResolutionWarnAt });
        builder.HasIndex(t => new { t.ResolvedAt, t.PausedSince, t.ResolutionBreachedAt, t.ResolutionDueAt });
        builder.HasIndex(t => t.Category);
        builder.HasIndex(t => t.Severity);
        builder.HasIndex(t => t.ContactId);
        builder.HasIndex(t => t.ReopenedFromId);
    }
}

internal sealed class TicketHistoryConfiguration : IEntityTypeConfiguration<TicketHistory>
{
    public void Configure(EntityTypeBuilder<TicketHistory> builder)
    {
        builder.Property(h => h.ByName).HasMaxLength(100);
        builder.Property(h => h.Field).HasMaxLength(32);
        builder.Property(h => h.From).HasMaxLength(200);
        builder.Property(h => h.To).HasMaxLength(200);
        builder.HasOne<Ticket>().WithMany().HasForeignKey(h => h.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(h => new { h.TicketId, h.Sequence }).IsUnique();
    }
}

internal sealed class TicketCommentConfiguration : IEntityTypeConfiguration<TicketComment>
{
    public void Configure(EntityTypeBuilder<TicketComment> builder)
    {
        builder.Property(c => c.Body).HasMaxLength(4000);
        builder.Property(c => c.ByName).HasMaxLength(100);
        builder.HasOne<Ticket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.TicketId, c.At });
    }
}
