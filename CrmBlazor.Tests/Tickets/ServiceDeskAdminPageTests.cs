using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Server.Features.Tickets.Admin;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Tickets;

/// <summary>SPEC G1, G2: Admin's support-group and SLA-matrix pages refuse bad input in the user's language and save through the Domain services, audited.</summary>
public sealed class ServiceDeskAdminPageTests : MudTestContext
{
    [Fact]
    public async Task Admin_sets_an_SLA_target_from_the_matrix_and_a_zero_target_is_refused_in_Chinese()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await UseAsync(harness);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");

        var page = RenderWithPopovers<SlaPoliciesPage>();
        page.WaitForElement(".crm-sla-matrix");
        Assert.Contains("所有等级", page.Markup, StringComparison.Ordinal);
        Assert.Contains("4 小时", page.Markup, StringComparison.Ordinal); // critical: respond within 4 h by default

        page.FindAll(".crm-sla-edit")[0].Click(); // critical, every tier
        page.Find(".crm-sla-response input").Change("0");
        page.Find(".crm-sla-save").Click();
        page.WaitForAssertion(() => Assert.Contains("时限必须为正数", page.Markup, StringComparison.Ordinal));

        page.Find(".crm-sla-response input").Change("2");
        page.Find(".crm-sla-resolution input").Change("12");
        await page.Find(".crm-sla-save").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        page.WaitForAssertion(() => Assert.Contains("12 小时", page.Markup, StringComparison.Ordinal));

        var critical = (await harness.Get<SlaPolicyService>(admin).MatrixAsync()).Single(r => r.Severity == TicketSeverity.Critical && r.Tier == SlaPolicy.EveryTier);
        Assert.Equal((120, 720, SlaMode.AroundTheClock, false), (critical.ResponseMinutes, critical.ResolutionMinutes, critical.Mode, critical.IsDefault));
        await using var db = harness.NewSystemContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(SlaPolicy) && a.UserId == admin.UserId));
    }

    [Fact]
    public async Task Admin_creates_a_support_group_and_a_nameless_one_is_refused()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await UseAsync(harness);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");

        var page = RenderWithPopovers<SupportGroupsPage>();
        page.WaitForElement(".crm-group-new");
        Assert.Contains("No support groups yet", page.Markup, StringComparison.Ordinal);
        page.Find(".crm-group-new").Click();
        page.Find(".crm-group-save").Click();
        page.WaitForAssertion(() => Assert.Contains("Required.", page.Markup, StringComparison.Ordinal));
        Assert.Empty(await harness.Get<SupportGroupService>(admin).ListAsync());

        page.Find(".crm-group-name input").Change("Second line");
        await page.Find(".crm-group-save").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        page.WaitForAssertion(() => Assert.Contains("crm-support-groups", page.Markup, StringComparison.Ordinal));

        var group = Assert.Single(await harness.Get<SupportGroupService>(admin).ListAsync());
        Assert.Equal(("Second line", AssignmentStrategy.RoundRobin, true), (group.Name, group.Strategy, group.AutoAssign));
        Assert.Contains("Second line", page.Find(".crm-support-groups").TextContent, StringComparison.Ordinal);
        await using var db = harness.NewSystemContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(SupportGroup) && a.UserId == admin.UserId));
    }

    [Fact]
    public async Task Clicking_a_member_marks_them_away_and_back()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        var desk = await ServiceDesk.CreateAsync(harness, agents: 1);
        await UseAsync(harness);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");

        var page = RenderWithPopovers<SupportGroupsPage>();
        page.WaitForElement(".crm-group-member");
        var agentChip = page.FindAll(".crm-group-member").Single(c => c.TextContent.Contains("客服1", StringComparison.Ordinal));
        agentChip.Click();
        page.WaitForAssertion(() => Assert.Contains("客服1 · away", page.Markup, StringComparison.Ordinal));
        await using (var db = harness.NewSystemContext())
        {
            Assert.True(await db.Users.Where(u => u.Id == desk.Agents[0].UserId).Select(u => u.IsAway).SingleAsync());
        }
        page.FindAll(".crm-group-member").Single(c => c.TextContent.Contains("客服1", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.DoesNotContain("客服1 · away", page.Markup, StringComparison.Ordinal));
    }

    /// <summary>Wires the pages' services as Admin. The caller sets the culture: one set inside an async method does not flow back out.</summary>
    private async Task<TestUser> UseAsync(DomainHarness harness)
    {
        var admin = await harness.DemoUserAsync("demo-admin");
        Services.AddSingleton<ICurrentUser>(admin);
        Services.AddSingleton(harness.Get<Permissions>(admin));
        Services.AddSingleton(harness.Get<SlaPolicyService>(admin));
        Services.AddSingleton(harness.Get<SupportGroupService>(admin));
        Services.AddSingleton(harness.Get<UserDirectory>(admin));
        Services.AddSingleton(new DictionaryLabels(harness.Get<DictionaryService>(admin)));
        return admin;
    }
}
