using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Customers;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Culture;

/// <summary>SPEC J1: a visit logged at 23:30 in Shanghai (15:30 UTC) is on the customer's timeline under that Shanghai day.</summary>
public sealed class InteractionDayTests : MudTestContext
{
    // Wednesday 2026-12-02 00:10 in Shanghai; still Tuesday the 1st in UTC.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 16, 10, 0, TimeSpan.Zero));

    private async Task<(DomainHarness Harness, TestUser Rep, IReadOnlyList<TimelineEntry> Timeline)> LogVisitsAsync()
    {
        var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3, _time);
        var rep = await harness.DemoUserAsync("demo-salesrep");
        Guid customerId;
        await using (var db = harness.NewSystemContext())
        {
            customerId = await db.Customers.Where(c => c.OwnerId == rep.UserId).Select(c => c.Id).FirstAsync();
        }
        var interactions = harness.Get<InteractionService>(rep);
        await interactions.LogAsync(new InteractionInput(customerId, "visit", new DateTime(2026, 12, 1, 15, 30, 0, DateTimeKind.Utc), "深夜拜访", null, null, [], [], []));
        await interactions.LogAsync(new InteractionInput(customerId, "visit", new DateTime(2026, 12, 1, 16, 5, 0, DateTimeKind.Utc), "零点回访", null, null, [], [], []));
        var profile = await harness.Get<CustomerQueries>(rep).GetProfileAsync(customerId);
        return (harness, rep, profile.Timeline);
    }

    private IRenderedComponent<CustomerTimelineView> RenderTimeline(DomainHarness harness, TestUser rep, IReadOnlyList<TimelineEntry> timeline, string culture, string? userZone = null)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Services.AddSingleton(new CompanyClock(_time, Options.Create(new CompanyOptions())));
        Services.AddSingleton(new DictionaryLabels(harness.Get<DictionaryService>(rep)));
        Services.GetRequiredService<DisplayTime>().Use(userZone);
        return Render<CustomerTimelineView>(p => p.Add(v => v.Entries, timeline));
    }

    private static string CaptionOf(IRenderedComponent<CustomerTimelineView> view, string topic) =>
        view.FindAll($".crm-timeline-entry[data-kind='{InteractionTimelineSource.Kind}']")
            .Single(e => e.TextContent.Contains(topic, StringComparison.Ordinal))
            .QuerySelectorAll(".mud-typography-caption")[^1].TextContent;

    [Theory]
    [InlineData("zh-CN", "2026/12/1", "2026/12/2")]
    [InlineData("en", "12/1/2026", "12/2/2026")]
    public async Task A_visit_at_half_past_eleven_in_Shanghai_is_on_that_day_and_one_after_midnight_on_the_next(string culture, string lateVisit, string afterMidnight)
    {
        var (harness, rep, timeline) = await LogVisitsAsync();
        await using var _ = harness;

        var view = RenderTimeline(harness, rep, timeline, culture);

        // The culture's own pattern (ICU decides "0:05" or "00:05"), at the Shanghai wall time, and on the Shanghai day.
        var late = CaptionOf(view, "深夜拜访");
        Assert.StartsWith(new DateTime(2026, 12, 1, 23, 30, 0).ToString("g", new CultureInfo(culture)) + " · ", late, StringComparison.Ordinal);
        Assert.StartsWith(lateVisit + " ", late, StringComparison.Ordinal);
        var next = CaptionOf(view, "零点回访");
        Assert.StartsWith(new DateTime(2026, 12, 2, 0, 5, 0).ToString("g", new CultureInfo(culture)) + " · ", next, StringComparison.Ordinal);
        Assert.StartsWith(afterMidnight + " ", next, StringComparison.Ordinal);
        Assert.Contains(rep.DisplayName, late, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_in_Los_Angeles_sees_both_visits_on_their_own_Tuesday()
    {
        var (harness, rep, timeline) = await LogVisitsAsync();
        await using var _ = harness;

        var view = RenderTimeline(harness, rep, timeline, "zh-CN", "America/Los_Angeles");

        var chinese = new CultureInfo("zh-CN");
        Assert.StartsWith(new DateTime(2026, 12, 1, 7, 30, 0).ToString("g", chinese) + " · ", CaptionOf(view, "深夜拜访"), StringComparison.Ordinal);
        Assert.StartsWith(new DateTime(2026, 12, 1, 8, 5, 0).ToString("g", chinese) + " · ", CaptionOf(view, "零点回访"), StringComparison.Ordinal);
        Assert.All(view.FindAll($".crm-timeline-entry[data-kind='{InteractionTimelineSource.Kind}']"),
            e => Assert.Contains("2026/12/1 ", e.TextContent, StringComparison.Ordinal));
    }
}
