using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC A1, A3 in Chromium: Admin makes a supervisor the supervisor of a second team on the teams page; the supervisor sees its customers at once.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class TeamPagesTests(BrowserFixture browser)
{
    private const string TeamName = "华南渠道组";
    private const string CustomerName = "广州华南渠道测试有限公司";

    [Fact]
    public async Task A_supervisor_made_supervisor_of_a_second_team_on_the_teams_page_sees_its_customer_without_signing_in_again()
    {
        var customerId = await SeedAsync();
        await using var supervisorContext = await browser.NewContextAsync("zh-CN");
        var supervisor = await supervisorContext.NewPageAsync();
        await BrowserFixture.SignInAsync(supervisor, "demo-supervisor");
        await supervisor.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilInteractiveAsync(supervisor);
        await Assertions.Expect(supervisor.Locator("body")).Not.ToContainTextAsync(CustomerName);

        await using var adminContext = await browser.NewContextAsync("zh-CN");
        var admin = await adminContext.NewPageAsync();
        await BrowserFixture.SignInAsync(admin, "demo-admin");
        await admin.GotoAsync("/admin/teams");
        await BrowserFixture.WaitUntilInteractiveAsync(admin);
        var team = admin.Locator($".crm-team[data-team='{TeamName}']");
        await team.Locator(".crm-team-add-member").ClickAsync();
        var dialog = admin.Locator(".crm-add-member-dialog");
        await BrowserFixture.ChooseAsync(admin, dialog.Locator(".crm-add-member-user"), "李明 · demo-supervisor@crmblazor.local");
        await dialog.Locator(".crm-add-member-supervisor input").CheckAsync();
        await dialog.Locator(".crm-add-member-save").ClickAsync();
        await Assertions.Expect(team.Locator(".crm-team-member[data-member='李明']")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(admin, "teams-page-zh");

        await supervisor.ReloadAsync();
        await BrowserFixture.WaitUntilInteractiveAsync(supervisor);
        await Assertions.Expect(supervisor.Locator(".crm-customer-name")).ToHaveTextAsync(CustomerName);
        await BrowserFixture.ScreenshotAsync(supervisor, "teams-second-team-customer");

        await admin.GotoAsync("/admin/users");
        await BrowserFixture.WaitUntilInteractiveAsync(admin);
        await admin.Locator(".crm-users-search input").FillAsync("李明");
        await Assertions.Expect(admin.Locator(".crm-users-grid tbody tr.mud-table-row")).ToHaveCountAsync(1);
        await Assertions.Expect(admin.Locator(".crm-users-grid tbody tr.mud-table-row")).ToContainTextAsync(TeamName);
        await BrowserFixture.ScreenshotAsync(admin, "users-page-zh");
    }

    /// <summary>A second team whose rep owns one customer; the demo supervisor is not in it.</summary>
    private async Task<Guid> SeedAsync()
    {
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        if (await db.Customers.SingleOrDefaultAsync(c => c.Name == CustomerName) is { } existing)
        {
            return existing.Id;
        }
        var team = new Team { Name = TeamName };
        var rep = new AppUser { ExternalId = "e2e-south-rep", DisplayName = "冯涛", Roles = nameof(Role.SalesRep) };
        rep.Memberships.Add(new TeamMembership { Team = team, UserId = rep.Id });
        var customer = new Customer { Number = "CRM2099E01", Name = CustomerName, OwnerId = rep.Id };
        db.AddRange(team, rep, customer);
        await db.SaveChangesAsync();
        return customer.Id;
    }
}
