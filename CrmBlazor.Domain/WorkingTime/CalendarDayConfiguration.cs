using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.WorkingTime;

internal sealed class CalendarDayConfiguration : IEntityTypeConfiguration<CalendarDay>
{
    public void Configure(EntityTypeBuilder<CalendarDay> builder)
    {
        builder.HasIndex(d => d.Date).IsUnique();
        builder.Property(d => d.Name).HasMaxLength(100);
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}
