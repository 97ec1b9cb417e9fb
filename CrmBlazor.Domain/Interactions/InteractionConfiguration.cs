using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Interactions;

internal sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> builder)
    {
        builder.Property(i => i.Type).HasMaxLength(64);
        builder.Property(i => i.Topic).HasMaxLength(200);
        builder.Property(i => i.Summary).HasMaxLength(4000);
        builder.Property(i => i.Feedback).HasMaxLength(4000);
        builder.Property(i => i.ContactIds).HasMaxLength(2000);
        builder.Property(i => i.ParticipantIds).HasMaxLength(2000);
        builder.Property(i => i.ByName).HasMaxLength(100);
        builder.HasIndex(i => new { i.CustomerId, i.At });
        builder.HasIndex(i => new { i.ById, i.At });
        builder.HasIndex(i => i.DemandId);
        builder.HasIndex(i => i.TicketId);
        builder.HasOne<Tickets.Ticket>().WithMany().HasForeignKey(i => i.TicketId).OnDelete(DeleteBehavior.NoAction);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(i => i.Todos).WithOne().HasForeignKey(t => t.InteractionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TodoItemConfiguration : IEntityTypeConfiguration<TodoItem>
{
    public void Configure(EntityTypeBuilder<TodoItem> builder)
    {
        builder.Property(t => t.What).HasMaxLength(500);
        builder.HasIndex(t => new { t.OwnerId, t.DoneAt, t.DueAt });
        builder.HasIndex(t => t.CustomerId);
        builder.HasIndex(t => t.TicketId);
        // No cascade: a customer's deletion reaches these through its tickets and its interactions, two paths SQL Server refuses.
        builder.HasOne<Tickets.Ticket>().WithMany().HasForeignKey(t => t.TicketId).OnDelete(DeleteBehavior.NoAction);
        builder.Property(t => t.Version).IsConcurrencyToken();
    }
}
