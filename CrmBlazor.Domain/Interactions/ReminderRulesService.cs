using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Interactions;

/// <summary>What Admin edits on the reminder rules page; ranges checked by <see cref="ReminderRulesService.SaveAsync"/>.</summary>
public sealed record ReminderRulesInput(int TodoLeadHours, int NotContactedDays, int RepeatEveryDays, int SilentAfterDays, bool MonthlyVerification)
{
    public static ReminderRulesInput From(ReminderRules rules) =>
        new(rules.TodoLeadHours, rules.NotContactedDays, rules.RepeatEveryDays, rules.SilentAfterDays, rules.MonthlyVerification);
}

/// <summary>Admin sets the reminder rules (SPEC C3); the next reminder pass uses them.</summary>
public sealed class ReminderRulesService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, AuditLog auditLog)
{
    public async Task<ReminderRules> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ReminderRules.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new ReminderRules();
    }

    public async Task SaveAsync(ReminderRulesInput input, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        var errors = Validate(input);
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
        (rules.TodoLeadHours, rules.NotContactedDays, rules.RepeatEveryDays, rules.SilentAfterDays, rules.MonthlyVerification) =
            (input.TodoLeadHours, input.NotContactedDays, input.RepeatEveryDays, input.SilentAfterDays, input.MonthlyVerification);
        await db.SaveChangesAsync(cancellationToken);
        await auditLog.RecordAsync(AuditAction.Update, nameof(ReminderRules),
            $"{input.TodoLeadHours}h/{input.NotContactedDays}d/every {input.RepeatEveryDays}d/silent {input.SilentAfterDays}d/{input.MonthlyVerification}",
            currentUser.UserId, currentUser.DisplayName, cancellationToken);
    }

    private static List<ValidationError> Validate(ReminderRulesInput input)
    {
        var errors = new List<ValidationError>();
        if (input.TodoLeadHours is < 0 or > 720)
        {
            errors.Add(new ValidationError(nameof(ReminderRules.TodoLeadHours), "Validation.LeadHoursRange", "The lead time is 0 to 720 hours."));
        }
        if (input.NotContactedDays is < 1 or > 365)
        {
            errors.Add(new ValidationError(nameof(ReminderRules.NotContactedDays), "Validation.NotContactedRange", "The quiet period is 1 to 365 days."));
        }
        if (input.RepeatEveryDays is < 1 or > 365)
        {
            errors.Add(new ValidationError(nameof(ReminderRules.RepeatEveryDays), "Validation.RepeatEveryRange", "The reminder repeats every 1 to 365 days."));
        }
        if (input.SilentAfterDays is < 1 or > 3650)
        {
            errors.Add(new ValidationError(nameof(ReminderRules.SilentAfterDays), "Validation.SilentAfterRange", "A customer turns silent after 1 to 3650 days."));
        }
        else if (input.SilentAfterDays < input.NotContactedDays)
        {
            errors.Add(new ValidationError(nameof(ReminderRules.SilentAfterDays), "Validation.SilentBeforeReminder",
                "A customer turns silent no sooner than its owner is first reminded.", input.NotContactedDays));
        }
        return errors;
    }
}
