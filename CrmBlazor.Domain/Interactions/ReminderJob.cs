using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Interactions;

/// <summary>
/// One pass of the reminder rules (SPEC C2, C3), run every minute by every instance. Each reminder is
/// claimed through the notification's unique key and each status change through a conditional update,
/// so two instances running the same pass store and send every reminder once (J3).
/// </summary>
public sealed class ReminderJob(IDbContextFactory<CrmDbContext> dbFactory, NotificationService notifications, CompanyClock clock)
{
    public const string TodoDueSoon = "todo-due-soon";
    public const string TodoDue = "todo-due";
    public const string NotContacted = "not-contacted";
    public const string VerifyData = "verify-data";

    /// <summary>Every kind this job raises: what "My work" lists as my reminders.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [TodoDueSoon, TodoDue, NotContacted, VerifyData];

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.ReminderRules.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new ReminderRules();

        // To-dos: once when the lead time starts, once at due.
        var soon = now.AddHours(rules.TodoLeadHours);
        var todos = await (
            from t in db.Todos.AsNoTracking()
            join c in db.Customers on t.CustomerId equals c.Id
            where t.DoneAt == null && t.DueAt <= soon
            select new { t.Id, t.OwnerId, t.What, t.DueAt, c.Name, CustomerId = c.Id })
            .ToListAsync(cancellationToken);
        foreach (var todo in todos)
        {
            var (kind, key) = todo.DueAt <= now ? (TodoDue, $"{TodoDue}:{todo.Id}") : (TodoDueSoon, $"{TodoDueSoon}:{todo.Id}");
            await notifications.NotifyAsync(todo.OwnerId, kind, [todo.What, todo.Name, todo.DueAt.ToString("O")], $"/customers/{todo.CustomerId}", key, cancellationToken);
        }

        // Customers nobody contacted for N whole company days: silent, with the rule as the reason, and the owner told.
        var cutoff = clock.StartOfDayUtc(clock.Today.AddDays(-rules.NotContactedDays));
        var quiet = await db.Customers.AsNoTracking()
            .Where(c => c.OwnerId != null && (c.Status == CustomerStatuses.Active || c.Status == CustomerStatuses.Cooperating || c.Status == CustomerStatuses.New)
                && (c.LastContactAt ?? c.CreatedAt) < cutoff)
            .OrderBy(c => c.LastContactAt ?? c.CreatedAt) // the longest silent first; the rest next minute
            .Select(c => new { c.Id, c.OwnerId, c.Name, c.Status, Since = c.LastContactAt ?? c.CreatedAt })
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var customer in quiet)
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
                Reason = $"规则：{rules.NotContactedDays} 天未联系 (rule: not contacted for {rules.NotContactedDays} days)",
                At = now,
                ByName = "system",
            });
            await db.SaveChangesAsync(cancellationToken);
            await notifications.NotifyAsync(customer.OwnerId!.Value, NotContacted, [customer.Name, rules.NotContactedDays.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                $"/customers/{customer.Id}", $"{NotContacted}:{customer.Id}:{customer.Since:O}", cancellationToken);
        }

        // First of the month in the company's zone: each owner verifies their customers' data.
        if (rules.MonthlyVerification && clock.Today.Day == 1)
        {
            var owners = await db.Customers.Where(c => c.OwnerId != null).GroupBy(c => c.OwnerId!.Value)
                .Select(g => new { OwnerId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
            foreach (var owner in owners)
            {
                await notifications.NotifyAsync(owner.OwnerId, VerifyData, [owner.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                    "/customers", $"{VerifyData}:{owner.OwnerId}:{clock.Month}", cancellationToken);
            }
        }
    }
}
