using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC F4 in Chromium: the funnel page in both languages, and a stage's drill-down to the board.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class FunnelPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_funnel_shows_this_months_deals_per_stage_and_rep_and_a_stage_opens_the_board_at_its_column()
    {
        await SeedAsync("demo-salesrep", "华东区域仓储系统", 42_000_000, OpportunityStage.InitialContact, OpportunityStage.NeedsAnalysis, OpportunityStage.Proposal);
        await SeedAsync("demo-salesrep", "财务共享中心咨询", 18_000_000, OpportunityStage.InitialContact, OpportunityStage.NeedsAnalysis, OpportunityStage.Lost);
        await SeedAsync("demo-salesrep2", "门店数字化改造", 26_500_000, OpportunityStage.InitialContact, OpportunityStage.Proposal, OpportunityStage.Negotiation, OpportunityStage.Won);
        await SeedAsync("demo-salesrep2", "会员营销平台", 9_900_000, OpportunityStage.InitialContact);
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");

        await page.GotoAsync("/pipeline/funnel");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.Locator(".crm-funnel-stages tr[data-stage='Proposal'] a")).ToHaveTextAsync("方案报价");
        await Assertions.Expect(page.Locator(".crm-funnel-reps")).ToContainTextAsync("张伟");
        await Assertions.Expect(page.Locator(".crm-funnel-reps")).ToContainTextAsync("刘芳");
        await Assertions.Expect(page.Locator(".crm-funnel-chart svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".crm-funnel-export")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "pipeline-funnel-zh");

        await page.Locator(".crm-funnel-stages tr[data-stage='Proposal'] a").ClickAsync();
        await page.WaitForURLAsync("**/pipeline?stage=Proposal");
        await Assertions.Expect(page.Locator("[data-stage='Proposal'].crm-stage-focus")).ToBeVisibleAsync();

        await using var englishContext = await browser.NewContextAsync("en");
        var english = await englishContext.NewPageAsync();
        await BrowserFixture.SignInAsync(english, "demo-analyst");
        await english.GotoAsync("/pipeline/funnel");
        await BrowserFixture.WaitUntilInteractiveAsync(english);
        await Assertions.Expect(english.Locator(".crm-funnel-stages tr[data-stage='Negotiation'] a")).ToHaveTextAsync("Negotiation");
        await Assertions.Expect(english.Locator(".crm-funnel-teams")).ToContainTextAsync("华东销售一组");
        await BrowserFixture.ScreenshotAsync(english, "pipeline-funnel-en");
    }

    /// <summary>An opportunity created now (so in this month, the page's default range), with a history through <paramref name="stages"/> an hour apart.</summary>
    private async Task SeedAsync(string owner, string name, long amountFen, params OpportunityStage[] stages)
    {
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        var user = await db.Users.SingleAsync(u => u.ExternalId == owner);
        var customerId = await db.Customers.Where(c => c.OwnerId == user.Id).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var number = $"OP2099{await NumberSequences.NextAsync(db, "opportunity:2099", CancellationToken.None):0000}";
        var now = DateTime.UtcNow;
        var start = now.AddHours(-stages.Length);
        var opportunity = new Opportunity
        {
            Number = number, CustomerId = customerId, Name = name, AmountFen = amountFen, ExpectedCloseOn = DateOnly.FromDateTime(now.AddDays(45)),
            OwnerId = user.Id, Stage = stages[^1], StageEnteredAt = start.AddHours(stages.Length - 1),
            ClosedAt = stages[^1] is OpportunityStage.Won or OpportunityStage.Lost ? start.AddHours(stages.Length - 1) : null,
            LostReason = stages[^1] == OpportunityStage.Lost ? "price" : null,
        };
        opportunity.StageChanges.AddRange(stages.Select((s, i) => new OpportunityStageChange
        {
            FromStage = i == 0 ? null : stages[i - 1], ToStage = s, At = start.AddHours(i), ById = user.Id, ByName = user.DisplayName,
        }));
        db.Opportunities.Add(opportunity);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }
}
