using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC A4 in Chromium: an admin rejects a request with a reason; the requester's open page shows it live.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class ApprovalPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_admin_rejects_a_large_export_with_a_reason_and_the_requester_sees_it_without_reload()
    {
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            var supervisor = db.Users.Single(u => u.ExternalId == "demo-supervisor");
            db.ApprovalRequests.Add(new ApprovalRequest
            {
                Kind = ApprovalKinds.CustomerExport, SummaryFacts = ApprovalSummary.Export(8000).FactsJson(), Payload = "{}", RequestedById = supervisor.Id, RequestedByName = supervisor.DisplayName,
            });
            await db.SaveChangesAsync();
        }
        await using var adminContext = await browser.NewContextAsync("zh-CN");
        await using var requesterContext = await browser.NewContextAsync("zh-CN");
        var admin = await adminContext.NewPageAsync();
        var requester = await requesterContext.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "demo-admin");
        await BrowserFixture.SignInAsync(requester, "demo-supervisor");
        await requester.GotoAsync("/approvals");
        await BrowserFixture.WaitUntilInteractiveAsync(requester);
        var mine = requester.Locator(".crm-my-approval", new() { HasText = "导出 8,000 个客户" });
        await Assertions.Expect(mine).ToContainTextAsync("待审批");

        await admin.GotoAsync("/approvals");
        await BrowserFixture.WaitUntilInteractiveAsync(admin);
        var pending = admin.Locator(".crm-approval", new() { HasText = "导出 8,000 个客户" });
        await pending.Locator(".crm-reject").ClickAsync();
        await Assertions.Expect(admin.Locator(".mud-snackbar")).ToContainTextAsync("驳回时请填写审批意见");
        await pending.Locator(".crm-approval-comment input").FillAsync("范围过大，请按行业分批导出");
        await BrowserFixture.ScreenshotAsync(admin, "approvals-zh");
        await pending.Locator(".crm-reject").ClickAsync();
        await Assertions.Expect(pending).ToHaveCountAsync(0);

        await Assertions.Expect(mine).ToContainTextAsync("已驳回");
        await Assertions.Expect(mine).ToContainTextAsync("范围过大，请按行业分批导出");
    }
}
