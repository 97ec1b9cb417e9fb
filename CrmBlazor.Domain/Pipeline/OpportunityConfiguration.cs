using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Pipeline;

internal sealed class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> builder)
    {
        builder.Property(o => o.Number).HasMaxLength(16);
        builder.HasIndex(o => o.Number).IsUnique();
        builder.Property(o => o.Name).HasMaxLength(200);
        builder.Property(o => o.Stage).HasConversion<string>().HasMaxLength(24);
        builder.Property(o => o.PendingStage).HasConversion<string>().HasMaxLength(24);
        builder.Property(o => o.LostReason).HasMaxLength(64);
        builder.Property(o => o.RejectionReason).HasMaxLength(1000);
        builder.Property(o => o.Version).IsConcurrencyToken();
        // The board: a rep's open deals by stage; the customer's deals (a rep's board seeks them by the scope's customers,
        // and its column totals read ClosedAt and AmountFen from the index); a supervisor's by owner.
        builder.HasIndex(o => new { o.OwnerId, o.Stage, o.ExpectedCloseOn });
        builder.HasIndex(o => new { o.CustomerId, o.Stage, o.ClosedAt, o.AmountFen });
        builder.HasIndex(o => new { o.Stage, o.ExpectedCloseOn });
        // The funnel (covering, as key columns so that it is the same on the three providers): the range's cohort by
        // creation, in (CreatedAt, Id) order for FunnelSpans' window, with what its groupings read; the range's closings.
        builder.HasIndex(o => new { o.CreatedAt, o.Id, o.OwnerId, o.Stage, o.AmountFen });
        builder.HasIndex(o => new { o.ClosedAt, o.OwnerId, o.Stage });
        builder.HasOne<Customers.Customer>().WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(o => o.StageChanges).WithOne().HasForeignKey(c => c.OpportunityId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OpportunityStageChangeConfiguration : IEntityTypeConfiguration<OpportunityStageChange>
{
    public void Configure(EntityTypeBuilder<OpportunityStageChange> builder)
    {
        builder.Property(c => c.FromStage).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.ToStage).HasConversion<string>().HasMaxLength(24);
        builder.Property(c => c.ByName).HasMaxLength(100);
        // History in order, and the funnel's spans (LEAD over At, Id) and furthest stage (ToStage) from the index alone.
        builder.HasIndex(c => new { c.OpportunityId, c.At, c.Id, c.ToStage });
    }
}

internal sealed class StageProbabilityConfiguration : IEntityTypeConfiguration<StageProbability>
{
    public void Configure(EntityTypeBuilder<StageProbability> builder)
    {
        builder.Property(p => p.Stage).HasConversion<string>().HasMaxLength(24);
        builder.HasIndex(p => p.Stage).IsUnique();
        builder.Property(p => p.Version).IsConcurrencyToken();
    }
}
