using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.DataQuality;

internal sealed class DuplicateRecheckConfiguration : IEntityTypeConfiguration<DuplicateRecheck>
{
    public void Configure(EntityTypeBuilder<DuplicateRecheck> builder) => builder.HasKey(r => r.Id);
}
