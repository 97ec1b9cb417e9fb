using System.Text;
using CrmBlazor.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// axe-core (WCAG 2.1 A and AA rules and the best practices) over every page in each role's navigation and a customer's
/// 360 page, in the light and the dark theme: no serious or critical violation, one <c>main</c>, one <c>h1</c>.
/// Moderate and minor findings are written to the test output.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class AccessibilityTests(BrowserFixture browser, ITestOutputHelper output)
{
    private static readonly string[] RequiredRules = ["landmark-one-main", "page-has-heading-one", "landmark-no-duplicate-main"];

    private static readonly AxeRunOptions Rules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    [Theory]
    [InlineData("demo-salesrep", "zh-CN")]
    [InlineData("demo-supervisor", "zh-CN")]
    [InlineData("demo-service", "en")]
    [InlineData("demo-analyst", "en")]
    [InlineData("demo-admin", "zh-CN")]
    public async Task Every_page_in_the_navigation_has_no_serious_accessibility_problem_in_either_theme(string demoUser, string locale)
    {
        await using var context = await browser.NewContextAsync(locale);
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, demoUser);

        var links = await page.Locator(".mud-navmenu a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Contains("/", links);
        // Beyond the menu: the record pages a user of the role opens most.
        var (customerId, _) = await browser.CustomerOfAsync(demoUser == "demo-salesrep" ? "demo-salesrep" : "demo-supervisor");
        var pages = links.Distinct().Append($"/customers/{customerId}").ToList();
        if (demoUser != "demo-admin")
        {
            pages.Add("/admin/teams"); // refused: the refusal sits under the page's own title, as a second-level heading
        }

        var problems = new StringBuilder();
        foreach (var href in pages)
        {
            // A fresh load per page: axe then sees this page, not the last one's leftovers.
            await page.GotoAsync(href);
            await BrowserFixture.WaitUntilLoadedAsync(page);
            await Assertions.Expect(page.Locator("main")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1); // axe asks for at least one; a page has exactly one
            await CheckAsync(page, href + " (light)", problems);
            var shot = demoUser == "demo-salesrep" ? href switch { "/" => "my-work", "/customers" => "customers", _ when href.StartsWith("/customers/", StringComparison.Ordinal) => "customer", _ => null } : null;
            if (shot is not null)
            {
                await BrowserFixture.ScreenshotAsync(page, $"theme-light-{shot}-zh");
            }

            var toggle = page.Locator(".crm-theme-toggle");
            var toDark = await toggle.GetAttributeAsync("aria-label");
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).Not.ToHaveAttributeAsync("aria-label", toDark!);
            await CheckAsync(page, href + " (dark)", problems);
            if (shot is not null)
            {
                await BrowserFixture.ScreenshotAsync(page, $"theme-dark-{shot}-zh");
            }
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", toDark!);
            await page.WaitForFunctionAsync("() => document.cookie.includes('crm-theme=light')"); // the next page loads light
        }

        Assert.True(problems.Length == 0, $"{demoUser} ({locale}), {pages.Count} pages:\n{problems}");
    }

    [Fact]
    public async Task A_dialog_opened_from_the_keyboard_takes_focus_and_gives_it_back_when_it_closes()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        var (customerId, _) = await browser.CustomerOfAsync("demo-salesrep", skip: 4);
        await page.GotoAsync($"/customers/{customerId}");
        await BrowserFixture.WaitUntilLoadedAsync(page);

        foreach (var (opener, close) in new[] { (".crm-log-interaction", "Escape"), (".crm-edit-customer", "Cancel") })
        {
            var button = page.Locator(opener);
            await button.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            var dialog = page.Locator(".mud-dialog");
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            // Focus moves into the dialog, so the keyboard works on what is in front.
            await page.WaitForFunctionAsync("() => document.querySelector('.mud-dialog')?.contains(document.activeElement)");
            await page.Keyboard.PressAsync("Tab");
            Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('.mud-dialog').contains(document.activeElement)"),
                $"{opener}: Tab left the dialog for {await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML.slice(0, 80)")}");

            if (close == "Escape")
            {
                await page.Keyboard.PressAsync("Escape");
            }
            else
            {
                await dialog.Locator("button", new() { HasText = "取消" }).PressAsync("Enter");
            }
            await Assertions.Expect(dialog).ToHaveCountAsync(0);
            // And back to the button that opened it: the reader carries on where they were.
            await Assertions.Expect(button).ToBeFocusedAsync();
        }
    }

    /// <summary>
    /// The customer picker's search box focuses itself as the dialog opens. The dialog then moved the focus onto itself a
    /// round trip later, and what a rep typed at once after that went nowhere.
    /// </summary>
    [Fact]
    public async Task A_dialog_whose_field_takes_the_focus_leaves_it_there_so_typing_at_once_lands_in_it()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        var (_, number) = await browser.CustomerOfAsync("demo-salesrep", skip: 5);
        await BrowserFixture.WaitUntilLoadedAsync(page);

        await page.Locator(".crm-log-interaction").ClickAsync();
        var pick = page.Locator(".crm-customer-pick");
        var search = pick.Locator(".crm-customer-pick-search input");
        await Assertions.Expect(search).ToBeFocusedAsync();
        // At a person's pace, so the typing spans the dialog's first round trips.
        await page.Keyboard.TypeAsync(number, new() { Delay = 40 });

        await Assertions.Expect(search).ToHaveValueAsync(number);
        await Assertions.Expect(search).ToBeFocusedAsync();
        await Assertions.Expect(pick.Locator(".crm-customer-pick-item")).ToHaveCountAsync(1);
        await Assertions.Expect(pick.Locator(".crm-customer-pick-item")).ToContainTextAsync(number);
    }

    private async Task CheckAsync(IPage page, string where, StringBuilder problems)
    {
        // Off any control (no tooltip open), and after the theme's colour transitions have run.
        await page.Mouse.MoveAsync(700, 5);
        await BrowserFixture.WaitForAnimationsAsync(page);
        var result = await page.RunAxe(Rules);
        foreach (var violation in result.Violations)
        {
            var line = $"{where} [{violation.Impact}] {violation.Id}: {violation.Nodes.Length} × {violation.Help} — " +
                string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html + " {" + string.Join("; ", n.Any.Select(c => c.Message)) + "}"));
            if (violation.Impact is "serious" or "critical" || RequiredRules.Contains(violation.Id))
            {
                problems.AppendLine(line);
            }
            else
            {
                output.WriteLine(line);
            }
        }
    }
}
