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
/// The read-only parts of a demand-board card as HTML: its head (number, priority) and body (customer, description,
/// owner, tasks, SLA). Each is one markup frame in the column's render tree where its elements, attributes and texts were
/// some seventy frames (40 bytes each, twice: the current tree and the last), in every open tab. And every board that
/// shows the same card in the same language, time zone and minute shares one string: supervisors of a team watch the
/// same cards, so a tab adds little more than the frames around them. User text is HTML-encoded here, and only here.
/// </summary>
public static class DemandCardMarkup
{
    /// <summary>The card's head (inside its first row, before the move button) and body (after that row).</summary>
    public sealed record Parts(MarkupString Head, MarkupString Body);

    /// <summary>Encodes only what HTML needs (&lt;, &gt;, &amp;, quotes…): Chinese stays as it is written.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// Shared by every circuit. An entry unused for ten minutes goes; a card's markup stays alive for as long as a render
    /// tree holds it whatever the cache does, so the limit only bounds what is kept for the next tab.
    /// </summary>
    private static readonly MemoryCache Shared = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    /// <summary>The card as the user sees it at <paramref name="now"/> (the SLA countdown of an open card moves by the minute).</summary>
    public static Parts For(IStringLocalizer l, DisplayTime times, DemandCard card, DateTime now)
    {
        var minute = card.Status == DemandStatus.Open ? now.Ticks / TimeSpan.TicksPerMinute : 0;
        var key = (card, CultureInfo.CurrentUICulture.Name, CultureInfo.CurrentCulture.Name, times.Zone.Id, minute);
        if (Shared.TryGetValue(key, out Parts? parts))
        {
            return parts!;
        }
        parts = new Parts(Head(l, card), Body(l, times, card, now));
        Shared.Set(key, parts, Entry);
        return parts;
    }

    private static MarkupString Head(IStringLocalizer l, DemandCard card)
    {
        var html = new StringBuilder(512);
        html.Append("<a href=\"/demands/").Append(card.Id).Append("\" class=\"mud-typography mud-link mud-primary-text mud-link-underline-hover mud-typography-subtitle2 crm-demand-number\">")
            .Append(Encoder.Encode(card.Number)).Append("</a><div aria-hidden=\"true\" class=\"flex-grow-1\"></div>");
        LightChip.AppendHtml(html, PriorityChip.Look(l, card.Priority), Encoder);
        return new MarkupString(html.ToString());
    }

    private static MarkupString Body(IStringLocalizer l, DisplayTime times, DemandCard card, DateTime now)
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
        if (SlaBadge.Look(l, times, card.Status, card.ResponseDueAt, card.RespondedAt, now) is { } sla)
        {
            LightChip.AppendHtml(html, sla, Encoder);
        }
        return new MarkupString(html.Append("</div>").ToString());
    }
}
