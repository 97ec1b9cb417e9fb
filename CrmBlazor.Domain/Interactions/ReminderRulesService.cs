using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Interactions;

/// <summary>Admin sets the reminder rules (SPEC C3); the next reminder pass uses them.</summary>
public sealed class ReminderRulesService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, AuditLog auditLog)
{
    public async Task<ReminderRules> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ReminderRules.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new ReminderRules();
    }

    public async Task SaveAsync(int todoLeadHours, int notContactedDays, bool monthlyVerification, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        var errors = new List<ValidationError>();
        if (todoLeadHours is < 0 or > 720)
        {
            errors.Add(new ValidationError(nameof(ReminderRules.TodoLeadHours), "Validation.LeadHoursRange", "The lead time is 0 to 720 hours."));
        }
        if (notContactedDays is < 1 or > 365)
        {
            errors.Add(new ValidationError(nameof(ReminderRules.NotContactedDays), "Validation.NotContactedRange", "The quiet period is 1 to 365 days."));
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rules = await db.ReminderRules.SingleOrDefaultAsync(cancellationToken);
        if (rules is null)
        {
            rules = new ReminderRules();
            db.ReminderRules.Add(rules);
        }
        (rules.TodoLeadHours, rules.NotContactedDays, rules.MonthlyVerification) = (todoLeadHours, notContactedDays, monthlyVerification);
        await db.SaveChangesAsync(cancellationToken);
        await auditLog.RecordAsync(AuditAction.Update, nameof(ReminderRules), $"{todoLeadHours}h/{notContactedDays}d/{monthlyVerification}", currentUser.UserId, currentUser.DisplayName, cancellationToken);
    }
}
