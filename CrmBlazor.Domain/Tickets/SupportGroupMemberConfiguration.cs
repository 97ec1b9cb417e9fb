using CrmBlazor.Domain.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Tickets;

internal sealed class SupportGroupMemberConfiguration : IEntityTypeConfiguration<SupportGroupMember>
{
    public void Configure(EntityTypeBuilder<SupportGroupMember> builder)
    {
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(m => new { m.GroupId, m.UserId, m.Role }).IsUnique();
        builder.HasIndex(m => m.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
