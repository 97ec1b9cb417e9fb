using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>
/// Quotes on the customer's 360 timeline (SPEC B7): each revision drafted, sent, accepted or rejected, with its display
/// number (QT…-v2), its total in fen and its opportunity's number. Who: the author of the draft; the decider of an
/// accepted or rejected one (a decided quote changes no more, so its last editor decided it); the sender while it is still
/// out. Quotes travel with their opportunity, so a merge brings them along.
/// </summary>
public sealed class QuoteTimelineSource : ITimelineSource
{
    public const string Drafted = "quote-drafted";
    public const string Sent = "quote-sent";
    public const string Accepted = "quote-accepted";
    public const string Rejected = "quote-rejected";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var quotes = await (
            from q in db.Quotes.AsNoTracking()
            join o in db.Opportunities on q.OpportunityId equals o.Id
            where o.CustomerId == customer.Id
            orderby q.CreatedAt descending
            select new { q.Number, q.Revision, q.Status, q.TotalFen, q.CreatedAt, q.CreatedBy, q.UpdatedBy, q.SentAt, q.DecidedAt, Opportunity = o.Number })
            .Take(100).ToListAsync(cancellationToken);
        var people = quotes.SelectMany(q => new[] { q.CreatedBy, q.UpdatedBy }).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        string? NameOf(Guid? id) => id is { } known && names.TryGetValue(known, out var name) ? name : null;

        var entries = new List<TimelineEntry>();
        foreach (var q in quotes)
        {
            IReadOnlyList<string> values = [QuotePricing.DisplayNumber(q.Number, q.Revision), q.TotalFen.ToString(System.Globalization.CultureInfo.InvariantCulture), q.Opportunity];
            entries.Add(new TimelineEntry(q.CreatedAt, Drafted, NameOf(q.CreatedBy), values));
            if (q.SentAt is { } sent)
            {
                entries.Add(new TimelineEntry(sent, Sent, q.Status == QuoteStatus.Sent ? NameOf(q.UpdatedBy) : null, values));
            }
            if (q.DecidedAt is { } decided)
            {
                entries.Add(new TimelineEntry(decided, q.Status == QuoteStatus.Accepted ? Accepted : Rejected, NameOf(q.UpdatedBy), values));
            }
        }
        return entries;
    }
}
