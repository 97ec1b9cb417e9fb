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
        // The board: a rep's open deals by stage; the deals of the customers an owner in scope has (a rep's board reads its
        // column totals and its cards' order and ids from this one range alone); the customer's deals (360 page, merge).
        builder.HasIndex(o => new { o.OwnerId, o.Stage, o.ExpectedCloseOn });
        builder.HasIndex(o => new { o.CustomerOwnerId, o.ClosedAt, o.Stage, o.AmountFen, o.ExpectedCloseOn, o.Number, o.Id }).HasDatabaseName("IX_Opportunities_Board");
        builder.HasIndex(o => o.CustomerId);
        builder.HasIndex(o => new { o.Stage, o.ExpectedCloseOn });
        builder.Property(o => o.FurthestStage).HasConversion<string>().HasMaxLength(24);
        // The funnel (covering, as key columns so that it is the same on the three providers), both in the order they group
        // by, so no database sorts a year of deals to group them: SQLite skip-scans each (owner, stage…) for the date range,
        // the others read them in order. The range's cohort with every column its one grouping reads; the range's closings.
        builder.HasIndex(o => new
        {
            o.OwnerId, o.Stage, o.FurthestStage, o.CreatedAt, o.AmountFen,
            o.InitialContactDays, o.NeedsAnalysisDays, o.ProposalDays, o.NegotiationDays, o.ContractDays, o.DeliveryDays, o.DaysFromLeadToWon,
        }).HasDatabaseName("IX_Opportunities_Funnel");
        builder.HasIndex(o => new { o.OwnerId, o.Stage, o.ClosedAt }).HasDatabaseName("IX_Opportunities_Closings");
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
