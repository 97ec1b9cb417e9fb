using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Features.Access;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CrmBlazor.Tests.Access;

/// <summary>SPEC A1: Admin's teams page creates teams through a dialog (refusing a nameless or taken name) and makes a member supervisor.</summary>
public sealed class TeamsPageTests : MudTestContext
{
    [Fact]
    public async Task Admin_creates_a_team_in_a_dialog_and_makes_a_member_its_supervisor()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Services.AddSingleton<ICurrentUser>(admin);
        Services.AddSingleton(harness.Get<Permissions>(admin));
        Services.AddSingleton(harness.Get<TeamAdmin>(admin));
        Services.AddSingleton(harness.Get<UserAdmin>(admin));
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en");
        var dialogs = Render<MudDialogProvider>();

        var page = RenderWithPopovers<TeamsPage>();
        page.WaitForElement(".crm-team-new");
        page.Find(".crm-team-new").Click();
        dialogs.WaitForElement(".crm-team-name-save").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Required.", dialogs.Markup, StringComparison.Ordinal));
        dialogs.Find(".crm-team-name input").Change("华东销售一组");
        await dialogs.Find(".crm-team-name-save").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        dialogs.WaitForAssertion(() => Assert.Contains("exists already", dialogs.Markup, StringComparison.Ordinal));
        dialogs.Find(".crm-team-name input").Change("South China");
        await dialogs.Find(".crm-team-name-save").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".crm-team[data-team='South China']")));
        Assert.Contains("No members yet.", page.Find(".crm-team[data-team='South China']").TextContent, StringComparison.Ordinal);

        var east = ".crm-team[data-team='华东销售一组']";
        await page.Find($"{east} .crm-team-member[data-member='{rep.DisplayName}'] .crm-team-supervisor input")
            .ChangeAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = true });

        var teams = await harness.Get<TeamAdmin>(admin).ListAsync();
        Assert.Contains(teams, t => t.Name == "South China" && t.Members.Count == 0);
        Assert.True(teams.Single(t => t.Name == "华东销售一组").Members.Single(m => m.UserId == rep.UserId).IsSupervisor);
    }
}
