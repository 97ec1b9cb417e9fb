using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Approvals;

internal sealed class ApprovalRequestConfiguration : IEntityTypeConfiguration<ApprovalRequest>
{
    public void Configure(EntityTypeBuilder<ApprovalRequest> builder)
    {
        builder.Property(a => a.Kind).HasMaxLength(32);
        builder.Property(a => a.SummaryFacts).HasMaxLength(500);
        builder.Property(a => a.LegacySummary).HasMaxLength(500);
        builder.Property(a => a.Payload).HasMaxLength(8000);
        builder.Property(a => a.RequestedByName).HasMaxLength(100);
        builder.Property(a => a.DecidedByName).HasMaxLength(100);
        builder.Property(a => a.Comment).HasMaxLength(1000);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.Status, a.CreatedAt });
        builder.HasIndex(a => new { a.RequestedById, a.CreatedAt });
    }
}
