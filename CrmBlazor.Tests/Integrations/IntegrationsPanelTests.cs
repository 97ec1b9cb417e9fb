using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Webhooks;
using CrmBlazor.Server.Features.Integrations;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace CrmBlazor.Tests.Integrations;

/// <summary>
/// Issue 16, the Admin's integrations page: an API key's token and a webhook's secret are shown once (in the dialog that
/// made them, never in the list or the next dialog); revoking a key and deleting an endpoint ask first; a dead delivery
/// can be retried.
/// </summary>
public sealed class IntegrationsPanelTests : MudTestContext
{
    // The panels' clock (MudTestContext) and the services': 2030-06-12 02:00 UTC.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));

    private async Task<DomainHarness> AdminHarnessAsync()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, _time);
        var admin = await harness.DemoUserAsync("demo-admin");
        Services.AddSingleton(harness.Get<ApiKeyService>(admin));
        Services.AddSingleton(harness.Get<TeamAdmin>(admin));
        Services.AddSingleton(harness.Get<WebhookService>(admin));
        return harness;
    }

    private static async Task<T> ReadAsync<T>(DomainHarness harness, Func<CrmDbContext, Task<T>> read)
    {
        await using var db = harness.NewSystemContext();
        return await read(db);
    }

    private static void Click(IRenderedComponent<MudDialogProvider> dialogs, string text) =>
        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == text).Click();

    [Fact]
    public async Task An_issued_key_shows_its_token_once_and_revoking_it_asks_first()
    {
        await using var harness = await AdminHarnessAsync();
        var dialogs = Render<MudDialogProvider>();
        var panel = RenderWithPopovers<ApiKeysPanel>();
        panel.WaitForAssertion(() => Assert.Contains("No API keys yet.", panel.Find(".crm-keys-empty").TextContent, StringComparison.Ordinal));

        panel.Find(".crm-key-new").Click();
        dialogs.WaitForElement(".crm-key-issue").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Required.", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(dialogs.FindAll(".crm-secret-value"));
        dialogs.Find(".crm-key-name input").Change("ERP");
        dialogs.Find(".crm-key-issue").Click();

        var token = dialogs.WaitForElement(".crm-secret-value textarea").GetAttribute("value")!;
        Assert.Contains("it is shown only this once", dialogs.Find(".crm-secret-warning").TextContent, StringComparison.Ordinal);
        Assert.Contains("Key “ERP” issued", dialogs.Find(".mud-dialog-title").TextContent, StringComparison.Ordinal);
        Assert.True(ApiKeySecrets.TryParse(token, out var prefix, out var secret));
        await using (var db = harness.NewSystemContext())
        {
            var stored = await db.ApiKeys.AsNoTracking().SingleAsync();
            Assert.Equal((prefix, ApiKeySecrets.HashOf(secret), Role.Analyst), (stored.Prefix, stored.SecretHash, stored.Role));
            Assert.Equal(new DateTime(2030, 9, 9, 16, 0, 0, DateTimeKind.Utc), stored.ExpiresAt); // 90 days on, 00:00 in Shanghai
        }
        dialogs.Find(".crm-secret-copy").Click();
        Assert.Equal(token, JSInterop.VerifyInvoke("navigator.clipboard.writeText").Arguments.Single());

        dialogs.Find(".crm-key-done").Click();
        panel.WaitForAssertion(() => Assert.Equal("Active", panel.Find(".crm-key[data-key='ERP'] .crm-key-state").TextContent.Trim()));
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.DoesNotContain(secret, panel.Markup, StringComparison.Ordinal);
        panel.Find(".crm-key-new").Click();
        dialogs.WaitForElement(".crm-key-name");
        Assert.DoesNotContain(secret, dialogs.Markup, StringComparison.Ordinal);
        Assert.Empty(dialogs.FindAll(".crm-secret-value"));
        dialogs.Find(".crm-key-cancel").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));

        panel.Find(".crm-key[data-key='ERP'] .crm-key-revoke").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke the key “ERP”?", dialogs.Markup, StringComparison.Ordinal));
        Click(dialogs, "Cancel");
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Null(await ReadAsync(harness, db => db.ApiKeys.Select(k => k.RevokedAt).SingleAsync()));

        panel.Find(".crm-key[data-key='ERP'] .crm-key-revoke").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Revoke the key “ERP”?", dialogs.Markup, StringComparison.Ordinal));
        Click(dialogs, "Revoke");
        panel.WaitForAssertion(() => Assert.Equal("Revoked", panel.Find(".crm-key[data-key='ERP']").GetAttribute("data-state")));
        Assert.Empty(panel.FindAll(".crm-key-revoke"));
        Assert.Equal(_time.GetUtcNow().UtcDateTime, await ReadAsync(harness, db => db.ApiKeys.Select(k => k.RevokedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_registered_endpoint_shows_its_secret_once_can_be_edited_a_dead_delivery_can_be_retried_and_deleting_asks_first()
    {
        await using var harness = await AdminHarnessAsync();
        var dialogs = Render<MudDialogProvider>();
        var panel = RenderWithPopovers<WebhooksPanel>();
        panel.WaitForElement(".crm-webhooks-empty");

        panel.Find(".crm-webhook-new").Click();
        dialogs.WaitForElement(".crm-webhook-url input").Change("https://erp.example.com/hooks/crm");
        dialogs.Find(".crm-webhook-save").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Choose at least one event type.", dialogs.Find(".crm-webhook-types-error").TextContent, StringComparison.Ordinal));
        dialogs.Find($"[data-type='{WebhookEventTypes.CustomerCreated}'] input").Change(true);
        dialogs.Find($"[data-type='{WebhookEventTypes.TicketResolved}'] input").Change(true);
        dialogs.Find(".crm-webhook-save").Click();

        var secret = dialogs.WaitForElement(".crm-secret-value textarea").GetAttribute("value")!;
        Assert.Contains("Endpoint registered", dialogs.Find(".mud-dialog-title").TextContent, StringComparison.Ordinal);
        Guid endpointId;
        await using (var db = harness.NewSystemContext())
        {
            var stored = await db.WebhookEndpoints.AsNoTracking().SingleAsync();
            Assert.Equal((secret, "customer.created ticket.resolved"), (stored.Secret, stored.EventTypes));
            endpointId = stored.Id;
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                EndpointId = endpointId, EventId = Guid.NewGuid(), EventType = WebhookEventTypes.CustomerCreated, Payload = "{}",
                Status = WebhookDeliveryStatus.Dead, Attempts = 9, CreatedAt = _time.GetUtcNow().UtcDateTime.AddDays(-2),
                NextAttemptAt = _time.GetUtcNow().UtcDateTime.AddDays(-1), LastAttemptAt = _time.GetUtcNow().UtcDateTime.AddDays(-1),
                LastStatusCode = 503, LastError = "Service Unavailable",
            });
            await db.SaveChangesAsync();
        }
        dialogs.Find(".crm-webhook-done").Click();
        var row = ".crm-webhook[data-url='https://erp.example.com/hooks/crm']";
        panel.WaitForAssertion(() => Assert.Contains("ticket.resolved", panel.Find(row).TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, panel.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, dialogs.Markup, StringComparison.Ordinal);

        // Editing: the fields come filled in, a bad address is refused on its field, the secret stays and is not shown.
        panel.Find($"{row} .crm-webhook-edit").Click();
        Assert.Equal("https://erp.example.com/hooks/crm", dialogs.WaitForElement(".crm-webhook-url input").GetAttribute("value"));
        Assert.Contains("Edit endpoint", dialogs.Find(".mud-dialog-title").TextContent, StringComparison.Ordinal);
        Assert.NotNull(dialogs.Find($"[data-type='{WebhookEventTypes.TicketResolved}'] input").GetAttribute("checked"));
        dialogs.Find(".crm-webhook-url input").Change("ftp://erp.example.com/hooks");
        dialogs.Find(".crm-webhook-save").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Enter an absolute http(s) address", dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal("https://erp.example.com/hooks/crm", (await ReadAsync(harness, db => db.WebhookEndpoints.AsNoTracking().SingleAsync())).Url);
        dialogs.Find(".crm-webhook-url input").Change("https://erp.example.com/hooks/crm2");
        dialogs.Find(".crm-webhook-description input").Change("ERP order sync");
        dialogs.Find($"[data-type='{WebhookEventTypes.TicketResolved}'] input").Change(false);
        dialogs.Find($"[data-type='{WebhookEventTypes.DemandChanged}'] input").Change(true);
        dialogs.Find(".crm-webhook-save").Click();
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        var edited = await ReadAsync(harness, db => db.WebhookEndpoints.AsNoTracking().SingleAsync());
        Assert.Equal(("https://erp.example.com/hooks/crm2", "ERP order sync", "customer.created demand.changed", secret),
            (edited.Url, edited.Description, edited.EventTypes, edited.Secret));
        row = $".crm-webhook[data-url='https://erp.example.com/hooks/crm2']";
        panel.WaitForAssertion(() => Assert.Contains("ERP order sync", panel.Find(row).TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain(secret, dialogs.Markup, StringComparison.Ordinal);

        panel.Find($"{row} .crm-webhook-deliveries").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("HTTP 503", dialogs.Find(".crm-delivery[data-status='Dead']").TextContent, StringComparison.Ordinal));
        dialogs.Find(".crm-delivery-retry").Click();
        dialogs.WaitForElement(".crm-delivery[data-status='Pending']");
        Assert.Empty(dialogs.FindAll(".crm-delivery-retry"));
        Click(dialogs, "Close");
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));

        panel.Find($"{row} .crm-webhook-delete").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete the endpoint https://erp.example.com/hooks/crm2", dialogs.Markup, StringComparison.Ordinal));
        Click(dialogs, "Cancel");
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.True(await ReadAsync(harness, db => db.WebhookEndpoints.AnyAsync()));

        panel.Find($"{row} .crm-webhook-delete").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Delete the endpoint", dialogs.Markup, StringComparison.Ordinal));
        Click(dialogs, "Delete");
        panel.WaitForElement(".crm-webhooks-empty");
        Assert.False(await ReadAsync(harness, db => db.WebhookEndpoints.AnyAsync()));
    }
}
