using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Tickets;

/// <summary>One cell of the matrix as the policy page shows it; <see cref="IsDefault"/> when Admin has not set it.</summary>
public sealed record SlaPolicyItem(TicketSeverity Severity, string Tier, int ResponseMinutes, int ResolutionMinutes, SlaMode Mode, bool IsDefault);

/// <summary>Admin's severity × tier SLA matrix (SPEC G1): targets per severity, optionally tighter for a tier.</summary>
public sealed class SlaPolicyService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public static IReadOnlyList<string> Tiers { get; } = ["S", "A", "B", "C"];

    /// <summary>Every severity's row for every tier, then the tiers that have their own row.</summary>
    public async Task<IReadOnlyList<SlaPolicyItem>> MatrixAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Tickets, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.SlaPolicies.AsNoTracking().ToListAsync(cancellationToken);
        var items = new List<SlaPolicyItem>();
        foreach (var severity in Enum.GetValues<TicketSeverity>())
        {
            var general = rows.SingleOrDefault(r => r.Severity == severity && r.Tier == SlaPolicy.EveryTier);
            var targets = general is null ? SlaDefaults.For(severity) : new SlaTargets(general.ResponseMinutes, general.ResolutionMinutes, general.Mode);
            items.Add(new SlaPolicyItem(severity, SlaPolicy.EveryTier, targets.ResponseMinutes, targets.ResolutionMinutes, targets.Mode, general is null));
            items.AddRange(rows.Where(r => r.Severity == severity && r.Tier != SlaPolicy.EveryTier).OrderBy(r => r.Tier, StringComparer.Ordinal)
                .Select(r => new SlaPolicyItem(severity, r.Tier, r.ResponseMinutes, r.ResolutionMinutes, r.Mode, false)));
        }
        return items;
    }

    /// <summary>Sets one cell; a <paramref name="tier"/> of <see cref="SlaPolicy.EveryTier"/> sets the severity's general row.</summary>
    public async Task SetAsync(TicketSeverity severity, string tier, int responseMinutes, int resolutionMinutes, SlaMode mode, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        var errors = new List<ValidationError>();
        if (tier != SlaPolicy.EveryTier && !Tiers.Contains(tier))
        {
            errors.Add(new ValidationError(nameof(SlaPolicy.Tier), "Validation.SlaTierUnknown", $"{tier} is not a tier.", tier));
        }
        if (responseMinutes <= 0 || resolutionMinutes < responseMinutes)
        {
            errors.Add(new ValidationError(nameof(SlaPolicy.ResolutionMinutes), "Validation.SlaTargets", "Targets are positive, and resolution takes no less than the first response."));
        }
        ValidationFailedException.ThrowIfAny(errors);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.SlaPolicies.SingleOrDefaultAsync(p => p.Severity == severity && p.Tier == tier, cancellationToken);
        if (row is null)
        {
            row = new SlaPolicy { Severity = severity, Tier = tier };
            db.SlaPolicies.Add(row);
        }
        (row.ResponseMinutes, row.ResolutionMinutes, row.Mode) = (responseMinutes, resolutionMinutes, mode);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Removes a cell: the tier falls back to the severity's general row, the general row to the default.</summary>
    public async Task RemoveAsync(TicketSeverity severity, string tier, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Administration, Operation.Configure);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.SlaPolicies.SingleOrDefaultAsync(p => p.Severity == severity && p.Tier == tier, cancellationToken);
        if (row is not null)
        {
            db.SlaPolicies.Remove(row); // tracked, so the audit log records it
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
