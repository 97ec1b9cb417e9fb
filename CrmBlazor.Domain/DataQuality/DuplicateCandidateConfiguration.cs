using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.DataQuality;

internal sealed class DuplicateCandidateConfiguration : IEntityTypeConfiguration<DuplicateCandidate>
{
    public void Configure(EntityTypeBuilder<DuplicateCandidate> builder)
    {
        // No foreign keys: a merged-away customer's pairs are removed by its recheck, and two cascades into one table are refused by SQL Server.
        builder.HasKey(p => new { p.FirstId, p.SecondId });
        builder.HasIndex(p => p.SecondId);
        builder.HasIndex(p => new { p.ReasonCount, p.NameScore });
    }
}
