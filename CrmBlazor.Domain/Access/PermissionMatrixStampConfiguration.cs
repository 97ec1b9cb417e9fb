using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Access;

internal sealed class PermissionMatrixStampConfiguration : IEntityTypeConfiguration<PermissionMatrixStamp>
{
    public void Configure(EntityTypeBuilder<PermissionMatrixStamp> builder)
    {
        builder.ToTable("PermissionMatrixStamps");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasData(new PermissionMatrixStamp { Id = PermissionMatrixStamp.SingleId, Stamp = 0 });
    }
}
