using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Server.Features.Home;
using CrmBlazor.Server.Features.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>The opportunity page (/pipeline/{id}) and My work's opportunities, rendered over a real database.</summary>
public sealed class OpportunityPageTests : MudTestContext
{
    /// <summary>Wednesday 12 June 2030, 10:00 in Shanghai.</summary>
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));

    private void Act(DomainHarness harness, TestUser user, string culture = "en")
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Services.AddSingleton<ICurrentUser>(user);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<ILiveEvents>(harness.LiveEvents);
        Services.AddSingleton(harness.Get<Permissions>(user));
        Services.AddSingleton(harness.Get<OpportunityQueries>(user));
        Services.AddSingleton(harness.Get<OpportunityService>(user));
        Services.AddSingleton(harness.Get<QuoteQueries>(user));
        Services.AddSingleton(harness.Get<QuoteService>(user));
        Services.AddSingleton(harness.Get<UserDirectory>(user));
        Services.AddSingleton(new DictionaryLabels(harness.Get<DictionaryService>(user)));
    }

    [Fact]
    public async Task A_move_from_a_stale_page_says_someone_else_moved_it_and_the_page_shows_where_it_is_now()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4, time: _time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var opportunity = await CreateAsync(harness, rep, "数据中台建设", new DateOnly(2030, 6, 28));
        Act(harness, rep);
        var snackbars = Render<MudSnackbarProvider>();
        var page = RenderWithPopovers<OpportunityPage>(p => p.Add(x => x.Id, opportunity.Id));
        page.WaitForAssertion(() => Assert.Equal("Initial contact", page.Find(".crm-opportunity-stage").TextContent.Trim()));
        Assert.Empty(page.FindAll(".crm-opportunity-reassign")); // a rep's deals are their own
        // Someone else moves it meanwhile, and this page is not told (no live event).
        await using (var db = harness.NewSystemContext())
        {
            await db.Opportunities.Where(o => o.Id == opportunity.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Stage, OpportunityStage.NeedsAnalysis).SetProperty(o => o.Version, o => o.Version + 1));
        }

        page.Find(".crm-opportunity-move button").Click();
        Popovers.WaitForAssertion(() => Popovers.Find(".crm-move-to-proposal").Click());

        snackbars.WaitForAssertion(() => Assert.Contains($"{opportunity.Number} was moved by someone else a moment ago",
            snackbars.Find(".mud-snackbar-content-message").TextContent, StringComparison.Ordinal));
        page.WaitForAssertion(() => Assert.Equal("Needs analysis", page.Find(".crm-opportunity-stage").TextContent.Trim()));
        await using (var db = harness.NewSystemContext())
        {
            Assert.Equal(OpportunityStage.NeedsAnalysis, (await db.Opportunities.SingleAsync(o => o.Id == opportunity.Id)).Stage);
        }
    }

    [Fact]
    public async Task A_supervisor_reassigns_through_the_owner_picker_and_the_page_names_the_new_owner()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4, time: _time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var opportunity = await CreateAsync(harness, rep, "数据中台建设", new DateOnly(2030, 6, 28));
        Act(harness, supervisor, "zh-CN");
        var dialogs = RenderWithPopovers<MudDialogProvider>();
        var page = Render<OpportunityPage>(p => p.Add(x => x.Id, opportunity.Id));
        page.WaitForAssertion(() => Assert.Contains(rep.DisplayName, page.Find(".crm-opportunity-facts").TextContent, StringComparison.Ordinal));

        page.Find(".crm-opportunity-reassign").Click();
        dialogs.WaitForElement(".crm-reassign-dialog");
        var picker = dialogs.FindComponent<MudSelect<Guid?>>();
        await dialogs.InvokeAsync(() => picker.Instance.ValueChanged.InvokeAsync(supervisor.UserId));
        dialogs.Find(".crm-reassign-save").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".crm-reassign-dialog")));
        page.WaitForAssertion(() => Assert.Contains(supervisor.DisplayName, page.Find(".crm-opportunity-facts").TextContent, StringComparison.Ordinal));
        await using var db = harness.NewSystemContext();
        Assert.Equal(supervisor.UserId, (await db.Opportunities.SingleAsync(o => o.Id == opportunity.Id)).OwnerId);
    }

    [Fact]
    public async Task My_work_shows_my_open_deals_closing_this_month_and_says_so_when_there_are_none()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 4, time: _time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var june = await CreateAsync(harness, rep, "六月成交的商机", new DateOnly(2030, 6, 30));
        await CreateAsync(harness, rep, "七月成交的商机", new DateOnly(2030, 7, 1));
        Act(harness, rep, "zh-CN");

        var section = Render<MyOpportunities>();

        section.WaitForAssertion(() => Assert.Single(section.FindAll(".crm-my-opportunity")));
        var item = section.Find(".crm-my-opportunity").TextContent;
        Assert.Contains(june.Number, item, StringComparison.Ordinal);
        Assert.Contains("¥50,000.00", item, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromDays(60)); // August: nothing of mine closes this month
        await harness.LiveEvents.PublishAsync(new OpportunityChanged(june.Id, june.CustomerId, nameof(OpportunityStage.InitialContact), june.Version, null, "test")
        {
            Audience = [Audience.ForUser(rep.UserId!.Value)],
        });
        section.WaitForAssertion(() => Assert.Contains("本月没有预计成交的进行中商机。", section.Find(".crm-my-opportunities-empty").TextContent, StringComparison.Ordinal));
    }

    private static async Task<Opportunity> CreateAsync(DomainHarness harness, TestUser owner, string name, DateOnly closeOn)
    {
        Guid customerId;
        await using (var db = harness.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.OwnerId == owner.UserId).OrderBy(c => c.Number).Select(c => c.Id).FirstAsync();
        }
        return await harness.Get<OpportunityService>(owner).CreateAsync(new OpportunityInput(customerId, name, 5_000_000, closeOn, null));
    }
}
