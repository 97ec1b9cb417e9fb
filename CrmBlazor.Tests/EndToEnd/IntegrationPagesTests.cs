using System.Net;
using CrmBlazor.Domain.Webhooks;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// Issue 16 in Chromium: an Admin issues an API key on the integrations page, sees its token once, the key then reads
/// <c>/api/v1/customers</c> over HTTP; revoked on the page, it is refused (401). The webhooks tab registers an endpoint.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class IntegrationPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_issues_a_key_that_then_reads_customers_over_http_until_revoked_on_the_page()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-admin");
        await page.Locator(".crm-nav-integrations").ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/admin/integrations", StringComparison.Ordinal));
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator(".crm-key-new").ClickAsync();
        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-issue-key-dialog");
        await dialog.Locator(".crm-key-name input").FillAsync("ERP 对接 E2E");
        await dialog.Locator(".crm-key-issue").ClickAsync();
        var tokenField = dialog.Locator(".crm-secret-value textarea");
        await Assertions.Expect(tokenField).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^crm_"));
        var token = await tokenField.InputValueAsync();
        await Assertions.Expect(dialog.Locator(".crm-secret-warning")).ToContainTextAsync("只显示这一次");
        await BrowserFixture.ScreenshotAsync(page, "integrations-key-issued-zh");
        await dialog.Locator(".crm-key-done").ClickAsync();
        var row = page.Locator(".crm-key[data-key='ERP 对接 E2E']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "Active");
        await Assertions.Expect(page.Locator(".crm-issue-key-dialog")).ToHaveCountAsync(0);
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        using var api = new HttpClient { BaseAddress = browser.App.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", token);
        var answer = await api.GetAsync("/api/v1/customers?pageSize=5");
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"items\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await page.ReloadAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await Assertions.Expect(row.Locator("td").Nth(5)).Not.ToHaveTextAsync("从未使用");
        await BrowserFixture.ScreenshotAsync(page, "integrations-keys-zh");

        await row.Locator(".crm-key-revoke").ClickAsync();
        var confirm = page.Locator(".mud-dialog").Filter(new() { HasText = "确定吊销密钥“ERP 对接 E2E”吗" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "吊销", Exact = true }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "Revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/customers?pageSize=5")).StatusCode);

        await page.Locator(".mud-tab", new() { HasText = "Webhook" }).ClickAsync();
        await page.Locator(".crm-webhook-new").ClickAsync();
        var register = await BrowserFixture.FocusedDialogAsync(page, ".crm-register-webhook-dialog");
        await register.Locator(".crm-webhook-url input").FillAsync("https://erp.example.com/hooks/crm");
        await register.Locator(".crm-webhook-description input").FillAsync("ERP 客户同步");
        await register.Locator("[data-type='customer.created'] input").CheckAsync();
        await register.Locator("[data-type='customer.updated'] input").CheckAsync();
        await BrowserFixture.ScreenshotAsync(page, "integrations-register-dialog-zh");
        await register.Locator(".crm-webhook-save").ClickAsync();
        await Assertions.Expect(register.Locator(".crm-secret-value textarea")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
        await BrowserFixture.ScreenshotAsync(page, "integrations-webhook-registered-zh");
        await register.Locator(".crm-webhook-done").ClickAsync();
        var endpoint = page.Locator(".crm-webhook[data-url='https://erp.example.com/hooks/crm']");
        await Assertions.Expect(endpoint).ToContainTextAsync("customer.updated");
        await BrowserFixture.ScreenshotAsync(page, "integrations-webhooks-zh");
        await SeedDeadDeliveryAsync("https://erp.example.com/hooks/crm");
        await endpoint.Locator(".crm-webhook-deliveries").ClickAsync();
        var dead = page.Locator(".crm-delivery[data-status='Dead']");
        await Assertions.Expect(dead).ToContainTextAsync("HTTP 503");
        await BrowserFixture.ScreenshotAsync(page, "integrations-deliveries-zh");
        await dead.Locator(".crm-delivery-retry").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "该投递已重新排队" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-delivery[data-status='Dead']")).ToHaveCountAsync(0);
        await page.Locator(".crm-deliveries-close").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-deliveries-dialog")).ToHaveCountAsync(0);

        await using var english = await browser.NewContextAsync("en-US");
        var en = await english.NewPageAsync();
        await BrowserFixture.SignInAsync(en, "demo-admin");
        await en.GotoAsync("/admin/integrations");
        await BrowserFixture.WaitUntilInteractiveAsync(en);
        await Assertions.Expect(en.Locator(".crm-key[data-key='ERP 对接 E2E'] .crm-key-state")).ToContainTextAsync("Revoked");
        await BrowserFixture.ScreenshotAsync(en, "integrations-keys-en");
        await en.Locator(".crm-key-new").ClickAsync();
        await Assertions.Expect(en.Locator(".crm-issue-key-dialog .crm-key-name")).ToBeVisibleAsync();
        await BrowserFixture.ChooseAsync(en, en.Locator(".crm-issue-key-dialog .crm-key-role"), "Supervisor");
        await Assertions.Expect(en.Locator(".crm-issue-key-dialog .crm-key-team")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(en, "integrations-issue-dialog-en");
        await en.Locator(".crm-key-cancel").ClickAsync();
        await en.Locator(".mud-tab", new() { HasText = "Webhooks" }).ClickAsync();
        await Assertions.Expect(en.Locator(".crm-webhook[data-url='https://erp.example.com/hooks/crm']")).ToContainTextAsync("Enabled");
        await BrowserFixture.ScreenshotAsync(en, "integrations-webhooks-en");
    }

    /// <summary>A delivery to the endpoint at <paramref name="url"/> that the sender gave up on (the test has no receiver to fail against).</summary>
    private async Task SeedDeadDeliveryAsync(string url)
    {
        // The browser tests' app runs on the real clock (they are left out of the fixed-date runs), and the page lists
        // deliveries kept for Webhooks:KeepFor, so the seed is placed relative to that same clock, not on a fixed date;
        // nothing asserted depends on the day.
        var clock = TimeProvider.System;
        await using var db = CrmBlazor.Domain.Data.DomainServices.CreateSystemContext(browser.Database, clock);
        var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Url == url);
        var when = clock.GetUtcNow().UtcDateTime.AddHours(-1);
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            EndpointId = endpoint.Id, EventId = Guid.NewGuid(), EventType = WebhookEventTypes.CustomerUpdated, Payload = "{}",
            Status = WebhookDeliveryStatus.Dead, Attempts = 9, CreatedAt = when.AddDays(-3), NextAttemptAt = when, LastAttemptAt = when,
            LastStatusCode = 503, LastError = "Service Unavailable",
        });
        await db.SaveChangesAsync();
    }
}
