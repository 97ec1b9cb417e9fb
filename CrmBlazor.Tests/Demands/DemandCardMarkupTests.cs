using System.Globalization;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Server;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Demands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Demands;

/// <summary>
/// The demand board writes what a card shows as HTML (DemandCardMarkup): user text must stay text, the markup must be
/// shared between the boards showing the same card, and an open card's countdown must still move by the minute.
/// </summary>
public sealed class DemandCardMarkupTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 1, 2, 0, 0, DateTimeKind.Utc);
    private readonly ServiceProvider _services;
    private readonly IStringLocalizer<SharedResource> _l;
    private readonly DisplayTime _times;
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public DemandCardMarkupTests()
    {
        _services = new ServiceCollection().AddLogging().AddLocalization(o => o.ResourcesPath = "Resources").BuildServiceProvider();
        _l = _services.GetRequiredService<IStringLocalizer<SharedResource>>();
        _times = new DisplayTime(new CompanyClock(new FakeTimeProvider(new DateTimeOffset(Now)), Options.Create(new CompanyOptions())));
        UseCulture("zh-CN");
    }

    private static void UseCulture(string name) => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(name);

    private static DemandCard Card(string description = "需要定制化数据看板", string customer = "杭州鼎盛商贸有限公司", DemandStatus status = DemandStatus.Open) =>
        new(Guid.Parse("0b1c2d3e-0000-4000-8000-000000000001"), 3, "DE20260001", Guid.Empty, customer, description, DemandPriority.High,
            status, Guid.Empty, "张伟", Now.AddHours(5), null, 4, 1);

    [Fact]
    public void User_text_is_written_as_text_never_as_markup_and_Chinese_stays_readable()
    {
        var parts = DemandCardMarkup.For(_l, _times, Card("<img src=x onerror=alert(1)> & \"报价\"", customer: "A&B <b>公司</b>"), Now, canMove: false);

        Assert.DoesNotContain("<img", parts.Body.Value);
        Assert.DoesNotContain("<b>", parts.Body.Value);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;报价&quot;", parts.Body.Value);
        Assert.Contains("A&amp;B &lt;b&gt;公司&lt;/b&gt;", parts.Body.Value);
        Assert.Contains(">张伟</span>", parts.Body.Value);
        Assert.Contains("title=\"已完成 1/4 个任务\"", parts.Body.Value);
        Assert.Contains("href=\"/demands/0b1c2d3e-0000-4000-8000-000000000001\"", parts.Row.Value);
        Assert.Contains(">DE20260001</a>", parts.Row.Value);
        Assert.Contains(">高</span>", parts.Row.Value);
    }

    [Fact]
    public void Boards_showing_the_same_card_share_one_string_and_another_language_gets_its_own()
    {
        var first = DemandCardMarkup.For(_l, _times, Card(), Now, canMove: false);
        var second = DemandCardMarkup.For(_l, _times, Card(), Now.AddSeconds(-20), canMove: false); // another tab's read: an equal record, the same minute left

        Assert.Same(first.Row.Value, second.Row.Value);
        Assert.Same(first.Body.Value, second.Body.Value);

        UseCulture("en-US");
        var english = DemandCardMarkup.For(_l, _times, Card(), Now, canMove: false);
        Assert.NotSame(first.Body.Value, english.Body.Value);
        Assert.Contains(">High</span>", english.Row.Value);
        Assert.Contains("5 h 0 min left", english.Body.Value);
    }

    [Fact]
    public void An_open_cards_countdown_moves_by_the_minute_its_first_row_stays_and_a_card_in_progress_does_not_change()
    {
        var before = DemandCardMarkup.For(_l, _times, Card(), Now, canMove: true);
        var after = DemandCardMarkup.For(_l, _times, Card(), Now.AddMinutes(61), canMove: true);
        // Blazor replaces a markup frame whose text changed: the number link and move button, where a keyboard user may
        // stand, must not be in what changes every minute, or the focus is lost every minute.
        Assert.Same(before.Row.Value, after.Row.Value);
        Assert.Contains("crm-demand-move-light", before.Row.Value);
        Assert.DoesNotContain("<a ", before.Body.Value);
        Assert.DoesNotContain("<button", before.Body.Value);
        Assert.Contains("剩余 5小时0分", before.Body.Value);
        Assert.Contains("剩余 3小时59分", after.Body.Value);
        Assert.Contains("mud-chip-color-warning", after.Body.Value); // under four hours: amber

        // The red edge and the chip agree, and turn at the deadline itself, not at the turn of a wall-clock minute.
        var dueSoon = Card() with { ResponseDueAt = Now.AddSeconds(30) };
        var before10s = DemandCardMarkup.For(_l, _times, dueSoon, Now.AddSeconds(20), canMove: false);
        Assert.False(before10s.Breached);
        Assert.Contains("剩余 1分钟", before10s.Body.Value);
        Assert.DoesNotContain("crm-sla-breached", before10s.Body.Value);
        var after10s = DemandCardMarkup.For(_l, _times, dueSoon, Now.AddSeconds(40), canMove: false);
        Assert.True(after10s.Breached);
        Assert.Contains("crm-sla-breached", after10s.Body.Value);

        var inProgress = Card(status: DemandStatus.InProgress);
        Assert.Same(DemandCardMarkup.For(_l, _times, inProgress, Now, canMove: false).Body.Value, DemandCardMarkup.For(_l, _times, inProgress, Now.AddHours(2), canMove: false).Body.Value);
    }

    [Fact]
    public void A_user_who_may_move_cards_gets_the_move_buttons_closed_look_and_the_others_none()
    {
        var card = Card() with { Number = "DE<1>" };
        var mover = DemandCardMarkup.For(_l, _times, card, Now, canMove: true).Row.Value;
        var reader = DemandCardMarkup.For(_l, _times, card, Now, canMove: false).Row.Value;

        // The button has no handler of its own (the column catches its press): the class board-drag.js looks for, MudMenu's ARIA.
        Assert.Contains("<div class=\"mud-menu crm-demand-move crm-demand-move-light\"><button class=\"mud-button-root mud-icon-button", mover);
        Assert.Contains("aria-haspopup=\"menu\" aria-expanded=\"false\" aria-label=\"移动 DE&lt;1&gt;\"", mover);
        Assert.DoesNotContain("onclick", mover);
        Assert.DoesNotContain("crm-demand-move", reader);

        // The card with its menu open puts the real menu after the same number and priority.
        var head = DemandCardMarkup.Head(_l, card).Value;
        Assert.Equal($"<div class=\"{DemandCardMarkup.RowClass}\">{head}</div>", reader);
        Assert.StartsWith($"<div class=\"{DemandCardMarkup.RowClass}\">{head}<div class=\"mud-menu crm-demand-move", mover);
    }

    public void Dispose()
    {
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (_culture, _uiCulture);
        _services.Dispose();
    }
}
