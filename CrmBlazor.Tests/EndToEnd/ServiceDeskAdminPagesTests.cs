using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC G1, G2, G4, E4 in Chromium: Admin's support groups and SLA matrix, and the ticket SLA and satisfaction reports, in both languages.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class ServiceDeskAdminPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_sees_support_groups_the_SLA_matrix_and_the_service_desk_reports_in_Chinese_and_English()
    {
        await SeedAsync();
        foreach (var (locale, suffix, groupsTitle, ticketSla, satisfaction) in new[]
        {
            ("zh-CN", "zh", "支持组", "工单 SLA 达标率", "满意度统计"), ("en", "en", "Support groups", "Ticket SLA compliance", "Satisfaction"),
        })
        {
            await using var context = await browser.NewContextAsync(locale);
            var page = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(page, "demo-admin");

            await page.GotoAsync("/admin/support-groups");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(groupsTitle);
            await Assertions.Expect(page.Locator(".crm-support-groups")).ToContainTextAsync("一线支持");
            await page.Locator(".crm-group-edit").First.ClickAsync();
            await Assertions.Expect(page.Locator(".crm-group-form")).ToBeVisibleAsync();
            await BrowserFixture.ScreenshotAsync(page, $"service-support-groups-{suffix}");

            await page.GotoAsync("/admin/sla-policies");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
            await Assertions.Expect(page.Locator(".crm-sla-matrix tbody tr")).ToHaveCountAsync(5);
            await BrowserFixture.ScreenshotAsync(page, $"service-sla-policies-{suffix}");

            await page.GotoAsync("/reports");
            await BrowserFixture.WaitUntilInteractiveAsync(page);
            // By its name: which tabs come first depends on the reader's permissions (the funnel's needs the pipeline).
            await page.Locator(".mud-tab").GetByText(ticketSla, new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator(".crm-report-ticket-sla")).ToContainTextAsync("一线支持");
            await BrowserFixture.ScreenshotAsync(page, $"service-report-ticket-sla-{suffix}");
            await page.Locator(".mud-tab").GetByText(satisfaction, new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator(".crm-report-satisfaction")).ToContainTextAsync("陈静");
            await BrowserFixture.ScreenshotAsync(page, $"service-report-satisfaction-{suffix}");
        }
    }

    /// <summary>A group, a tier-S row, and this month's tickets: some answered in time, some late, two surveyed.</summary>
    private async Task SeedAsync()
    {
        await using var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        if (await db.Tickets.AnyAsync(t => t.Number == "TK209990000"))
        {
            return;
        }
        var users = await db.Users.Where(u => u.ExternalId != null).ToDictionaryAsync(u => u.ExternalId!, u => u.Id);
        // The demo service desk's first-line group takes "bug" and "usage" already; a database without it gets one here.
        var group = await db.SupportGroups.FirstOrDefaultAsync(g => g.Categories.Any(c => c.Category == "bug"));
        if (group is null)
        {
            group = new SupportGroup { Name = "一线支持", Strategy = AssignmentStrategy.RoundRobin };
            group.Members.AddRange([
                new SupportGroupMember { GroupId = group.Id, UserId = users["demo-service"], Role = SupportGroupRole.Agent },
                new SupportGroupMember { GroupId = group.Id, UserId = users["demo-salesrep"], Role = SupportGroupRole.Agent },
                new SupportGroupMember { GroupId = group.Id, UserId = users["demo-supervisor"], Role = SupportGroupRole.Supervisor }]);
            group.Categories.AddRange([new SupportGroupCategory { GroupId = group.Id, Category = "bug" }, new SupportGroupCategory { GroupId = group.Id, Category = "usage" }]);
            db.SupportGroups.Add(group);
        }
        db.SlaPolicies.Add(new SlaPolicy { Severity = TicketSeverity.High, Tier = "S", ResponseMinutes = 120, ResolutionMinutes = 720, Mode = SlaMode.AroundTheClock });
        var customerId = await db.Customers.OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        // The app runs on the real clock and the report's default range is this month in company days: open them
        // ten minutes ago, but never before this month began in Shanghai (in the first minutes of a month that is now).
        var now = DateTime.UtcNow;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(new CrmBlazor.Domain.Common.CompanyOptions().TimeZone);
        var local = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        var monthStart = TimeZoneInfo.ConvertTimeToUtc(new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), zone);
        var opened = now.AddMinutes(-10) < monthStart ? monthStart : now.AddMinutes(-10);
        for (var i = 0; i < 6; i++)
        {
            var agent = i % 2 == 0 ? users["demo-service"] : users["demo-salesrep"];
            var resolved = i < 4;
            var ticket = new Ticket
            {
                Number = $"TK2099{90000 + i}", CustomerId = customerId, Category = i % 3 == 0 ? "usage" : "bug", Title = $"截图工单 {i}", Description = "报表页面空白",
                Severity = (TicketSeverity)(i % 4), Status = resolved ? TicketStatus.Resolved : TicketStatus.InProgress, GroupId = group.Id, AssigneeId = agent,
                OpenedAt = opened, ResponseDueAt = opened.AddMinutes(i == 1 ? 1 : 240), FirstResponseAt = opened.AddMinutes(2),
                ResolutionDueAt = opened.AddMinutes(i == 2 ? 3 : 1440), ResolvedAt = resolved ? opened.AddMinutes(5) : null, PausedSince = resolved ? opened.AddMinutes(5) : null,
            };
            db.Tickets.Add(ticket);
            if (i < 3)
            {
                db.TicketFollowUps.Add(new TicketFollowUp
                {
                    TicketId = ticket.Id, Score = i == 1 ? 2 : 5 - i, Comment = i == 1 ? "响应太慢" : null, At = opened.AddMinutes(8), ByName = "陈静",
                    AgentId = agent, GroupId = group.Id, Category = ticket.Category,
                });
            }
        }
        await db.SaveChangesAsync();
    }
}
