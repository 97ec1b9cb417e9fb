using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>
/// Tickets on the customer's 360 timeline (SPEC G1, G4): logged (number, title), resolved, and each follow-up visit
/// (number, score 1–5; the customer's comment as detail), by whom.
/// </summary>
public sealed class TicketTimelineSource : ITimelineSource
{
    public const string Created = "ticket-created";
    public const string Resolved = "ticket-resolved";
    public const string FollowUp = "ticket-followup";

    public async Task<IReadOnlyList<TimelineEntry>> ReadAsync(CrmDbContext db, Customer customer, CancellationToken cancellationToken)
    {
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.CustomerId == customer.Id).OrderByDescending(t => t.OpenedAt).Take(100)
            .Select(t => new { t.Id, t.Number, t.Title, t.OpenedAt }).ToListAsync(cancellationToken);
        var ids = tickets.Select(t => t.Id).ToList();
        // Who logged each, and every resolution (also of a ticket resolved, reopened and resolved again): the history keeps each move.
        var rows = await db.TicketHistory.AsNoTracking()
            .Where(h => ids.Contains(h.TicketId) && (h.Field == TicketFields.Created || (h.Field == TicketFields.Status && h.To == nameof(TicketStatus.Resolved))))
            .Select(h => new { h.TicketId, h.Field, h.At, h.ByName }).ToListAsync(cancellationToken);
        var loggedBy = rows.Where(r => r.Field == TicketFields.Created).GroupBy(r => r.TicketId).ToDictionary(g => g.Key, g => g.First().ByName);
        var numbers = tickets.ToDictionary(t => t.Id, t => t.Number);
        var surveys = await db.TicketFollowUps.AsNoTracking().Where(f => ids.Contains(f.TicketId))
            .Select(f => new { f.TicketId, f.At, f.ByName, f.Score, f.Comment }).ToListAsync(cancellationToken);
        return
        [
            .. tickets.Select(t => new TimelineEntry(t.OpenedAt, Created, loggedBy.GetValueOrDefault(t.Id), [t.Number, t.Title])),
            .. rows.Where(r => r.Field == TicketFields.Status).Select(r => new TimelineEntry(r.At, Resolved, r.ByName, [numbers[r.TicketId]])),
            .. surveys.Select(f => new TimelineEntry(f.At, FollowUp, f.ByName,
                [numbers[f.TicketId], f.Score.ToString(System.Globalization.CultureInfo.InvariantCulture)], f.Comment)),
        ];
    }
}
