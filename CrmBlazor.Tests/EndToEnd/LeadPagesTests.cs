using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC F1 in Chromium: the lead pool claimed live, and a conversion that finds the customer it would duplicate.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class LeadPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_pool_lead_claimed_by_one_rep_leaves_the_other_reps_pool_live()
    {
        var number = await SeedAsync("苏州工业园区智造科技有限公司", owner: null, LeadStatus.New);
        await using var firstContext = await browser.NewContextAsync("zh-CN");
        await using var secondContext = await browser.NewContextAsync("zh-CN");
        var first = await firstContext.NewPageAsync();
        var second = await secondContext.NewPageAsync();
        await BrowserFixture.SignInAsync(first, "demo-salesrep");
        await BrowserFixture.SignInAsync(second, "demo-salesrep2");
        foreach (var page in new[] { first, second })
        {
            await page.GotoAsync("/leads");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
            await page.Locator(".crm-lead-views").GetByText("线索池", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator($".crm-lead-{number}")).ToContainTextAsync("公司公共池");
        }
        await BrowserFixture.ScreenshotAsync(first, "leads-pool-zh");

        await first.Locator($".crm-lead-{number} .crm-lead-claim").ClickAsync();

        await Assertions.Expect(first.Locator(".mud-snackbar")).ToContainTextAsync($"已认领线索 {number}");
        await Assertions.Expect(first.Locator($".crm-lead-{number}")).ToHaveCountAsync(0);
        // Live: the colleague's pool drops it without a reload.
        await Assertions.Expect(second.Locator($".crm-lead-{number}")).ToHaveCountAsync(0, new() { Timeout = 5000 });
        await first.Locator(".crm-lead-views").GetByText("我的线索", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(first.Locator($".crm-lead-{number}")).ToContainTextAsync("张伟");
        // And it waits on My work among my new leads.
        await first.GotoAsync("/");
        await BrowserFixture.WaitUntilInteractiveAsync(first);
        await Assertions.Expect(first.Locator($".crm-my-lead-{number}")).ToContainTextAsync("苏州工业园区智造科技有限公司");
    }

    [Fact]
    public async Task Converting_a_lead_that_matches_a_customer_offers_it_with_the_reason_and_attaching_opens_that_customer()
    {
        Guid customerId;
        string customerName;
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            var rep = await db.Users.SingleAsync(u => u.ExternalId == "demo-salesrep");
            (customerId, customerName) = await db.Customers.Where(c => c.OwnerId == rep.Id).OrderByDescending(c => c.Number)
                .Select(c => new ValueTuple<Guid, string>(c.Id, c.Name)).FirstAsync();
        }
        var number = await SeedAsync(CustomerSearch.WithoutLegalForm(customerName) + "股份有限公司", "demo-salesrep", LeadStatus.Qualified);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync("/leads");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await page.Locator($".crm-lead-{number}").ClickAsync();
        await page.Locator(".crm-lead-dialog .crm-lead-convert").ClickAsync();

        var dialog = await BrowserFixture.FocusedDialogAsync(page, ".crm-convert-lead-dialog");
        await Assertions.Expect(dialog.Locator(".crm-lead-matches-found")).ToContainTextAsync("可能重复");
        var match = dialog.Locator(".crm-lead-match", new() { HasText = customerName });
        await Assertions.Expect(match.Locator(".crm-lead-match-reason")).ToContainTextAsync("名称相同");
        await Assertions.Expect(match.Locator("input[type=radio]")).ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(page, "lead-convert-zh");
        await dialog.Locator(".crm-convert-amount input").FillAsync("250000");
        await dialog.Locator(".crm-convert-save").ClickAsync();

        await page.WaitForURLAsync($"**/customers/{customerId}");
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            var lead = await db.Leads.SingleAsync(l => l.Number == number);
            Assert.Equal((LeadStatus.Converted, customerId), (lead.Status, lead.ConvertedCustomerId));
            var opportunity = await db.Opportunities.SingleAsync(o => o.Id == lead.ConvertedOpportunityId);
            Assert.Equal((customerId, 25_000_000L), (opportunity.CustomerId, opportunity.AmountFen));
        }

        await using var englishContext = await browser.NewContextAsync("en");
        var english = await englishContext.NewPageAsync();
        await BrowserFixture.SignInAsync(english, "demo-salesrep");
        await english.GotoAsync("/leads");
        await BrowserFixture.WaitUntilInteractiveAsync(english);
        await english.Locator(".crm-lead-status-filter").ClickAsync();
        await english.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Converted" }).ClickAsync();
        await Assertions.Expect(english.Locator($".crm-lead-{number}")).ToContainTextAsync("Converted");
        await BrowserFixture.ScreenshotAsync(english, "leads-en");
    }

    /// <summary>A lead written straight to the database, numbered in a series of its own (LD2099…), not today's.</summary>
    private async Task<string> SeedAsync(string company, string? owner, LeadStatus status)
    {
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        var ownerId = owner is null ? (Guid?)null : (await db.Users.SingleAsync(u => u.ExternalId == owner)).Id;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var number = $"LD2099{await NumberSequences.NextAsync(db, "lead:2099", CancellationToken.None):00000}";
        db.Leads.Add(new Lead
        {
            Number = number, Company = company, ContactName = "周敏", Mobile = "13600001234", Source = "exhibition", Status = status, OwnerId = ownerId,
        });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return number;
    }
}
