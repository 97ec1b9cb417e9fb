using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Data;

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

internal sealed class PermissionOverrideConfiguration : IEntityTypeConfiguration<PermissionOverride>
{
    public void Configure(EntityTypeBuilder<PermissionOverride> builder) =>
        builder.HasKey(p => new { p.Role, p.Module, p.Operation });
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.UserName).HasMaxLength(100);
        builder.Property(a => a.EntityType).HasMaxLength(64);
        builder.Property(a => a.EntityId).HasMaxLength(128);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.EntityType, a.EntityId });
        builder.HasIndex(a => a.UserId);
    }
}

internal sealed class NumberSequenceConfiguration : IEntityTypeConfiguration<NumberSequence>
{
    public void Configure(EntityTypeBuilder<NumberSequence> builder)
    {
        builder.HasKey(s => s.Key);
        builder.Property(s => s.Key).HasMaxLength(64);
    }
}
