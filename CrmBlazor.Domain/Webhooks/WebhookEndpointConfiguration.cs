using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CrmBlazor.Domain.Webhooks;

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.Property(e => e.Url).HasMaxLength(WebhookService.MaxUrlLength);
        builder.Property(e => e.Description).HasMaxLength(200);
        builder.Property(e => e.Secret).HasMaxLength(80);
        builder.Property(e => e.EventTypes).HasMaxLength(1000);
        builder.Property(e => e.DisabledReason).HasMaxLength(500);
        builder.Ignore(e => e.EventTypeList);
    }
}
