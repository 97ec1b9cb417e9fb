using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Feedback;

internal sealed class FeedbackItemConfiguration : IEntityTypeConfiguration<FeedbackItem>
{
    public void Configure(EntityTypeBuilder<FeedbackItem> builder)
    {
        builder.ToTable("FeedbackItems");
        builder.Property(f => f.Text).HasMaxLength(FeedbackItem.TextMaxLength);
        builder.Property(f => f.Page).HasMaxLength(FeedbackItem.PageMaxLength);
        builder.Property(f => f.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(f => f.Reply).HasMaxLength(FeedbackItem.ReplyMaxLength);
        builder.Property(f => f.ScreenshotName).HasMaxLength(255);
        builder.Property(f => f.ScreenshotStoredName).HasMaxLength(64);
        builder.Property(f => f.ScreenshotContentType).HasMaxLength(100);
        builder.Property(f => f.Version).IsConcurrencyToken();
        // Admin's list: filtered by status, newest first; "my feedback": by sender.
        builder.HasIndex(f => new { f.Status, f.CreatedAt });
        builder.HasIndex(f => new { f.SenderId, f.CreatedAt });
    }
}
