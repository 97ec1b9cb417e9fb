using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Access;

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.Ignore(u => u.RoleSet);
        builder.Property(u => u.ExternalId).HasMaxLength(128);
        builder.Property(u => u.TenantId).HasMaxLength(64);
        builder.HasIndex(u => new { u.ExternalId, u.TenantId }).IsUnique();
        builder.Property(u => u.DisplayName).HasMaxLength(100);
        builder.Property(u => u.Email).HasMaxLength(200);
        builder.Property(u => u.Roles).HasMaxLength(200);
        builder.Property(u => u.SecurityStamp).HasMaxLength(32);
        builder.Property(u => u.TimeZone).HasMaxLength(64);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasIndex(u => u.Email);
    }
}
