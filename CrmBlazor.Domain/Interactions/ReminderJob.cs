using System.Globalization;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Interactions;

/// <summary>
/// One pass of the reminder rules (SPEC C2, C3), run every minute by every instance. Each reminder is
/// claimed through the notification's unique key and each status change through a conditional update,
/// so two instances running the same pass store and send every reminder once (J3).
/// </summary>
public sealed class ReminderJob(IDbContextFactory<CrmDbContext> dbFactory, NotificationService notifications, ILiveEvents liveEvents, CompanyClock clock)
{
    public const string TodoDueSoon = "todo-due-soon";
    public const string TodoDue = "todo-due";
    public const string NotContacted = "not-contacted";
    public const string TurnedSilent = "customer-silent";
    public const string VerifyData = "verify-data";

    /// <summary>Every kind this job raises: what "My work" lists as my reminders.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [TodoDueSoon, TodoDue, NotContacted, TurnedSilent, VerifyData];

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.ReminderRules.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new ReminderRules();

        // To-dos: once when the lead time starts, once at due; after a snooze, again for the new due time.
        var soon = now.AddHours(rules.TodoLeadHours);
        var todos = await (
            from t in db.Todos.AsNoTracking()
            join c in db.Customers on t.CustomerId equals c.Id
            where t.DoneAt == null && t.DueAt <= soon
            select new { t.Id, t.OwnerId, t.What, t.DueAt, c.Name, CustomerId = c.Id })
            .ToListAsync(cancellationToken);
        foreach (var todo in todos)
        {
            // The key names the due time too: a snoozed to-do is due again, so it is reminded again, once.
            var kind = todo.DueAt <= now ? TodoDue : TodoDueSoon;
            var key = $"{kind}:{todo.Id}:{todo.DueAt.ToString("O", CultureInfo.InvariantCulture)}";
            await notifications.NotifyAsync(todo.OwnerId, kind, [todo.What, todo.Name, todo.DueAt.ToString("O")], NotificationSubject.Customer(todo.CustomerId), key, cancellationToken);
        }

        await MarkSilentAsync(db, rules, now, cancellationToken);
        await RemindNotContactedAsync(db, rules, now, cancellationToken);

        // First of the month in the company's zone: each owner verifies their customers' data.
        if (rules.MonthlyVerification && clock.Today.Day == 1)
        {
            var owners = await db.Customers.Where(c => c.OwnerId != null).GroupBy(c => c.OwnerId!.Value)
                .Select(g => new { OwnerId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var owner in owners)
            {
                await notifications.NotifyAsync(owner.OwnerId, VerifyData, [owner.Count.ToString(CultureInfo.InvariantCulture)],
                    NotificationSubject.Customers, $"{VerifyData}:{owner.OwnerId}:{clock.Month}", cancellationToken);
            }
        }
    }

    /// <summary>
    /// Customers nobody contacted for <see cref="ReminderRules.SilentAfterDays"/> company calendar days turn silent (SPEC B3), with the
    /// rule as the reason, and the owner is told once. One pass is one transaction that also records one
    /// <see cref="CustomersChanged"/> naming the customers it marked, so their open pages show it (and a crash after the
    /// commit still gets the event out).
    /// </summary>
    private async Task MarkSilentAsync(CrmDbContext db, ReminderRules rules, DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = clock.LatestBeforeDaysUtc(now, rules.SilentAfterDays);
        var quiet = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && (c.Status == CustomerStatuses.Active || c.Status == CustomerStatuses.Cooperating || c.Status == CustomerStatuses.New)
                && (c.LastContactAt ?? c.CreatedAt) < cutoff)
            .OrderBy(c => c.LastContactAt ?? c.CreatedAt).ThenBy(c => c.Id) // the longest silent first, the rest next minute; one order for every instance
            .Select(c => new QuietCustomer(c.Id, c.OwnerId!.Value, c.Name, c.Status, c.LastContactAt ?? c.CreatedAt))
            .Take(500)
            .ToListAsync(cancellationToken);
        var due = quiet.Where(c => clock.DaysBetween(c.Since, now) >= rules.SilentAfterDays).ToList();
        if (due.Count == 0)
        {
            return;
        }
        var days = rules.SilentAfterDays.ToString(CultureInfo.InvariantCulture);
        var marked = new List<QuietCustomer>();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            marked.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var customer in due)
            {
                // Only the instance whose update changes the row goes on; the other sees 0 rows.
                var changed = await db.Customers.Where(c => c.Id == customer.Id && c.Status == customer.Status)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CustomerStatuses.Silent).SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
                if (changed == 0)
                {
                    continue;
                }
                db.CustomerStatusChanges.Add(new CustomerStatusChange
                {
                    CustomerId = customer.Id,
                    FromStatus = customer.Status,
                    ToStatus = CustomerStatuses.Silent,
                    Reason = SystemReasons.Of(SystemReasons.SilentAfterDays, days),
                    At = now,
                    ByName = "system",
                });
                marked.Add(customer);
            }
            if (marked.Count > 0)
            {
                db.RecordLiveEvent(await CustomersChanged.OfAsync(db, marked.Select(c => c.Id).ToList(), null, "system", cancellationToken));
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        await db.PublishRecordedAsync(liveEvents, CancellationToken.None);
        foreach (var customer in marked)
        {
            await notifications.NotifyAsync(customer.OwnerId, TurnedSilent, [customer.Name, days],
                NotificationSubject.Customer(customer.Id), $"{TurnedSilent}:{customer.Id}:{customer.Since:O}", cancellationToken);
        }
    }

    /// <summary>
    /// Customers nobody contacted for <see cref="ReminderRules.NotContactedDays"/>: the owner is reminded (SPEC C3),
    /// then again every <see cref="ReminderRules.RepeatEveryDays"/> until someone contacts the customer. Repeat
    /// period k (0 = the first reminder) is due at the start of the company calendar day
    /// <c>NotContactedDays + k × RepeatEveryDays</c> days after the day of the last contact (contacted Monday 18:00,
    /// three days is Thursday from midnight, company time); its key names the contact and k, so each period is sent once whichever instance gets there first.
    /// <see cref="Customer.NotContactedRemindedAt"/> (when the last reminded period was due) keeps the query to the
    /// customers with a period still to send; a later contact makes it older than the new first period.
    /// </summary>
    private async Task RemindNotContactedAsync(CrmDbContext db, ReminderRules rules, DateTime now, CancellationToken cancellationToken)
    {
        var cutoff = clock.LatestBeforeDaysUtc(now, rules.NotContactedDays);
        var repeatCutoff = clock.LatestBeforeDaysUtc(now, rules.RepeatEveryDays);
        var quiet = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && c.Status != CustomerStatuses.Lost
                && (c.LastContactAt ?? c.CreatedAt) < cutoff
                && (c.NotContactedRemindedAt == null || c.NotContactedRemindedAt < repeatCutoff
                    // a later contact: the new first period starts before contact + N + 1 days, whatever the zone
                    || c.NotContactedRemindedAt < (c.LastContactAt ?? c.CreatedAt).AddDays(rules.NotContactedDays + 1)))
            .OrderBy(c => c.LastContactAt ?? c.CreatedAt)
            .Select(c => new { c.Id, c.OwnerId, c.Name, Since = c.LastContactAt ?? c.CreatedAt, c.NotContactedRemindedAt })
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var customer in quiet)
        {
            var days = clock.DaysBetween(customer.Since, now);
            if (days < rules.NotContactedDays)
            {
                continue;
            }
            var period = (days - rules.NotContactedDays) / rules.RepeatEveryDays;
            var periodDue = clock.StartOfDayAfterUtc(customer.Since, rules.NotContactedDays + (period * rules.RepeatEveryDays));
            if (customer.NotContactedRemindedAt >= periodDue)
            {
                continue;
            }
            await notifications.NotifyAsync(customer.OwnerId!.Value, NotContacted, [customer.Name, days.ToString(CultureInfo.InvariantCulture)],
                NotificationSubject.Customer(customer.Id), $"{NotContacted}:{customer.Id}:{customer.Since:O}:{period}", cancellationToken);
            // Bookkeeping only: no version bump, so nobody editing the customer meets a conflict.
            await db.Customers.Where(c => c.Id == customer.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.NotContactedRemindedAt, periodDue), cancellationToken);
        }
    }

    private sealed record QuietCustomer(Guid Id, Guid OwnerId, string Name, string Status, DateTime Since);
}
