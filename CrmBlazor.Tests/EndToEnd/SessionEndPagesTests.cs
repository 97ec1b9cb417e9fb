using System.Text.RegularExpressions;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// Issue #14 (ASVS 8.3.2) in Chromium: an open page loses access once an Admin deactivates its user. The app under test
/// re-checks circuits every 5 s (<see cref="LiveAppFixture"/>); production does so every minute, the longest allowed.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed partial class SessionEndPagesTests(BrowserFixture browser, LiveAppFixture app) : IClassFixture<LiveAppFixture>
{
    [Fact]
    public async Task A_signed_in_browser_loses_access_within_a_minute_after_an_Admin_deactivates_the_user()
    {
        await using var context = await app.NewContextAsync(browser.Browser, "zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync("/customers");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await using (var db = DomainServices.CreateSystemContext(app.Database, TimeProvider.System))
        {
            var rep = await db.Users.SingleAsync(u => u.ExternalId == "demo-salesrep");
            await (await app.Get<UserAccess>("demo-admin")).DeactivateAsync(rep.Id); // on "another instance", as the users page would
        }

        // Nobody touches the page: the circuit's own check signs it out and the app sends it to sign in.
        await Assertions.Expect(page).ToHaveURLAsync(SignInPage(), new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("button[data-user='demo-salesrep']")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "session-ended-zh");
        await page.GotoAsync("/customers");
        await Assertions.Expect(page).ToHaveURLAsync(SignInPage());
    }

    [Fact]
    public async Task A_Supervisor_whose_role_an_Admin_removes_loses_the_open_supervisor_page_and_signs_in_with_the_role_left()
    {
        await using var context = await app.NewContextAsync(browser.Browser, "en");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/admin/tags");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await using (var db = DomainServices.CreateSystemContext(app.Database, TimeProvider.System))
        {
            var supervisor = await db.Users.SingleAsync(u => u.ExternalId == "demo-supervisor");
            await (await app.Get<UserAccess>("demo-admin")).SetRolesAsync(supervisor.Id, [Role.SalesRep]);
        }

        await Assertions.Expect(page).ToHaveURLAsync(SignInPage(), new() { Timeout = 60_000 });
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/admin/tags");
        await Assertions.Expect(page).ToHaveURLAsync(DeniedPage());
    }

    [GeneratedRegex("/account/denied")]
    private static partial Regex DeniedPage();

    [GeneratedRegex("/account/signin")]
    private static partial Regex SignInPage();
}
