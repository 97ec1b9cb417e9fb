using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Server.Features.Interactions;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Interactions;

/// <summary>SPEC B3/C3: Admin sees the reminder and the silent rule as separate settings, in their language.</summary>
public sealed class ReminderRulesPageTests : MudTestContext
{
    [Fact]
    public async Task Admin_sets_reminder_repeat_and_silent_days_and_a_silent_period_shorter_than_the_reminder_is_refused_in_Chinese()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        Services.AddSingleton<ICurrentUser>(admin);
        Services.AddSingleton(harness.Get<Permissions>(admin));
        Services.AddSingleton(harness.Get<ReminderRulesService>(admin));
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");

        var page = RenderWithPopovers<ReminderRulesPage>();
        page.WaitForElement(".crm-silent-days");
        Assert.Contains("客户连续多少天未联系时提醒负责人", page.Markup, StringComparison.Ordinal);
        Assert.Contains("在有人联系客户之前，每隔多少天再次提醒", page.Markup, StringComparison.Ordinal);
        Assert.Contains("客户连续多少天未联系即标记为沉默客户", page.Markup, StringComparison.Ordinal);

        page.Find(".crm-silent-days input").Change("2");
        page.Find(".crm-reminders-save").Click();
        page.WaitForAssertion(() => Assert.Contains("标记为沉默的天数不能少于首次提醒的天数（3 天）。", page.Markup, StringComparison.Ordinal));

        page.Find(".crm-repeat-days input").Change("14");
        page.Find(".crm-silent-days input").Change("120");
        await page.Find(".crm-reminders-save").ClickAsync(new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        page.WaitForAssertion(() => Assert.DoesNotContain("标记为沉默的天数不能少于", page.Markup, StringComparison.Ordinal));

        var saved = await harness.Get<ReminderRulesService>(admin).GetAsync();
        Assert.Equal((3, 14, 120), (saved.NotContactedDays, saved.RepeatEveryDays, saved.SilentAfterDays));
    }
}
