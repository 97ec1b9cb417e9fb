using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Interactions;

internal sealed class ReminderRulesConfiguration : IEntityTypeConfiguration<ReminderRules>
{
    public void Configure(EntityTypeBuilder<ReminderRules> builder) => builder.Property(r => r.Id).ValueGeneratedNever();
}
