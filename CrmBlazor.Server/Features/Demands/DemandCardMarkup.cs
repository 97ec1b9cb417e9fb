using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using CrmBlazor.Domain.Demands;
using CrmBlazor.Server.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace CrmBlazor.Server.Features.Demands;

/// <summary>
/// What a demand-board card shows, as HTML: its first row (number, priority and, for a user who may move cards, the move
/// button's closed look) and its body (customer, description, owner, tasks, SLA). They are two markup frames in the
/// column's render tree where their elements, attributes, texts and handlers were some ninety frames (40 bytes each,
/// twice: the current tree and the last), in every open tab. Every board that shows the same card in the same language
/// (and, for the row, to a user who may or may not move it; for the body, in the same time zone and minute of the
/// countdown) shares one string: supervisors of a team watch the same cards, so a tab adds little more than the card's
/// own element around them. The row does not change with the minute: Blazor replaces a markup frame whose text changed,
/// and the number link or move button a keyboard user is on would lose the focus every minute. The move button has no
/// handler: its press is raised on the column (<see cref="CardEventArgs"/>). User text is HTML-encoded here.
/// </summary>
public static class DemandCardMarkup
{
    /// <summary>
    /// The card's first row and body (inside its element), and whether its response deadline has passed (the card's red
    /// edge), as of the same moment as the body's countdown.
    /// </summary>
    public sealed record Parts(MarkupString Row, MarkupString Body, bool Breached);

    /// <summary>Encodes only what HTML needs (&lt;, &gt;, &amp;, quotes…): Chinese stays as it is written.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// Shared by every circuit, sized in characters (~16 MB of text at most). A card's markup stays alive for as long as a
    /// render tree holds it whatever the cache does: the cache only saves the next tab from a copy of its own.
    /// </summary>
    private static readonly MemoryCache Shared = new(new MemoryCacheOptions { SizeLimit = 8_000_000 });

    /// <summary>The row's own layout: number and priority, then the move button (or the real menu in its place).</summary>
    public const string RowClass = "d-flex flex-row align-center gap-1";

    /// <summary>
    /// What a card shows at <paramref name="now"/>, with the move button when <paramref name="canMove"/>. An open card's
    /// countdown shows whole minutes left: every tab whose moment falls in the same minute before (or after) the deadline
    /// shows the same text and red edge, as at that moment.
    /// </summary>
    public static Parts For(IStringLocalizer l, DisplayTime times, DemandCard card, DateTime now, bool canMove)
    {
        var (minutesLeft, asOf) = Moment(card, now);
        var row = Cached((card, CultureInfo.CurrentUICulture.Name, canMove), () => Row(l, card, canMove), TimeSpan.FromMinutes(10), sliding: true);
        var body = Cached((card, CultureInfo.CurrentUICulture.Name, CultureInfo.CurrentCulture.Name, times.Zone.Id, minutesLeft),
            () => new MarkupString(Body(l, times, card, asOf).ToString()),
            card.Status == DemandStatus.Open ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(10), sliding: card.Status != DemandStatus.Open);
        return new Parts(row, body, card.IsBreached(asOf));
    }

    /// <summary>The row's number and priority alone, around which the one card whose menu is open puts the real menu (not shared: it is one card, briefly).</summary>
    public static MarkupString Head(IStringLocalizer l, DemandCard card) => new(HeadHtml(l, card).ToString());

    /// <summary>The countdown (and amber, and breached) as of the middle of its minute: the same as at any moment in it.</summary>
    private static (long MinutesLeft, DateTime AsOf) Moment(DemandCard card, DateTime now)
    {
        var minutesLeft = card.Status == DemandStatus.Open ? (long)Math.Floor((card.ResponseDueAt - now).TotalMinutes) : 0;
        var asOf = card.Status == DemandStatus.Open ? card.ResponseDueAt - TimeSpan.FromMinutes(minutesLeft + 0.5) : default;
        return (minutesLeft, asOf);
    }

    /// <summary>An open card's body is of one minute: it goes two minutes after it was made; the rest ten minutes after their last use.</summary>
    private static MarkupString Cached(object key, Func<MarkupString> build, TimeSpan keep, bool sliding)
    {
        if (Shared.TryGetValue(key, out MarkupString markup))
        {
            return markup;
        }
        markup = build();
        var entry = new MemoryCacheEntryOptions { Size = markup.Value.Length };
        if (sliding)
        {
            entry.SlidingExpiration = keep;
        }
        else
        {
            entry.AbsoluteExpirationRelativeToNow = keep;
        }
        Shared.Set(key, markup, entry);
        return markup;
    }

    /// <summary>The move button's closed look: the column turns it into the real menu when it is pressed.</summary>
    public const string MoveButtonClass = "crm-demand-move crm-demand-move-light";

    private static MarkupString Row(IStringLocalizer l, DemandCard card, bool canMove)
    {
        var html = new StringBuilder(2048).Append("<div class=\"").Append(RowClass).Append("\">").Append(HeadHtml(l, card));
        if (canMove)
        {
            LightMenuButton.AppendSmallHtml(html, Icons.Material.Outlined.DriveFileMove, Encoder.Encode(l["Board.MoveCard", card.Number]), MoveButtonClass);
        }
        return new MarkupString(html.Append("</div>").ToString());
    }

    private static StringBuilder HeadHtml(IStringLocalizer l, DemandCard card)
    {
        var html = new StringBuilder(512);
        html.Append("<a href=\"/demands/").Append(card.Id).Append("\" class=\"mud-typography mud-link mud-primary-text mud-link-underline-hover mud-typography-subtitle2 crm-demand-number\">")
            .Append(Encoder.Encode(card.Number)).Append("</a><div aria-hidden=\"true\" class=\"flex-grow-1\"></div>");
        LightChip.AppendHtml(html, PriorityChip.Look(l, card.Priority), Encoder);
        return html;
    }

    private static StringBuilder Body(IStringLocalizer l, DisplayTime times, DemandCard card, DateTime asOf)
    {
        var html = new StringBuilder(1536);
        html.Append("<span class=\"mud-typography mud-typography-caption mud-secondary-text\">").Append(Encoder.Encode(card.CustomerName)).Append("</span>")
            .Append("<p class=\"mud-typography mud-typography-body2 crm-demand-description\">").Append(Encoder.Encode(card.Description)).Append("</p>")
            .Append("<div class=\"d-flex flex-row align-center flex-wrap gap-1 mt-1\">");
        LightIcon.AppendHtml(html, "mud-icon-root mud-svg-icon mud-secondary-text mud-icon-size-small", Icons.Material.Outlined.Person);
        html.Append("<span class=\"mud-typography mud-typography-caption\">").Append(Encoder.Encode(card.OwnerName)).Append("</span>");
        if (card.Tasks > 0)
        {
            LightChip.AppendHtml(html, new LightChip.Look($"{card.TasksDone}/{card.Tasks}", Color.Default, Variant.Text, "crm-demand-tasks",
                Icons.Material.Outlined.Checklist, l["Demand.TaskProgress", card.TasksDone, card.Tasks]), Encoder);
        }
        html.Append("<div aria-hidden=\"true\" class=\"flex-grow-1\"></div>");
        if (SlaBadge.Look(l, times, card.Status, card.ResponseDueAt, card.RespondedAt, asOf) is { } sla)
        {
            LightChip.AppendHtml(html, sla, Encoder);
        }
        return html.Append("</div>");
    }
}
