using CrmBlazor.Domain.Customers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.DataQuality;

internal sealed class VerificationSampleConfiguration : IEntityTypeConfiguration<VerificationSample>
{
    public void Configure(EntityTypeBuilder<VerificationSample> builder)
    {
        builder.Property(s => s.Month).HasMaxLength(7);
        builder.Property(s => s.VerifiedByName).HasMaxLength(100);
        builder.HasIndex(s => new { s.Month, s.CustomerId }).IsUnique();
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
