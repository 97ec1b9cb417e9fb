using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Reports;

/// <summary>What a ticket report groups by. <see cref="Category"/> and <see cref="Month"/> apply to satisfaction only.</summary>
public enum TicketReportBy
{
    Group,
    Agent,
    Severity,
    Category,
    Month,
}

/// <summary>
/// Ticket SLA compliance of one row (SPEC E4): tickets opened in the range; per clock, met (answered / resolved by the
/// deadline), breached (late, or still open past it) and still running. <see cref="Key"/> is a group or agent name
/// (empty: none), a <see cref="TicketSeverity"/> name, or <see cref="ReportQueries.Total"/>.
/// </summary>
public sealed record TicketSlaRow(string Key, int Tickets, int ResponseMet, int ResponseBreached, int ResponseRunning, int ResolutionMet, int ResolutionBreached, int ResolutionRunning)
{
    /// <summary>Met among the decided (met or breached); null when none is decided yet.</summary>
    public decimal? ResponseRate => Rate(ResponseMet, ResponseBreached);

    public decimal? ResolutionRate => Rate(ResolutionMet, ResolutionBreached);

    private static decimal? Rate(int met, int breached) => met + breached == 0 ? null : (decimal)met / (met + breached);
}

/// <summary>
/// Satisfaction of one row (SPEC G4): surveys recorded in the range, their average and the spread. <see cref="Key"/> is an
/// agent or group name, a TicketCategory code, a month "yyyy-MM" in the company's zone, or <see cref="ReportQueries.Total"/>.
/// </summary>
public sealed record SatisfactionRow(string Key, int Surveys, decimal? Average, int Satisfied, int Dissatisfied)
{
    /// <summary>Share of scores 4 and 5.</summary>
    public decimal? SatisfiedRate => Surveys == 0 ? null : (decimal)Satisfied / Surveys;
}

/// <summary>
/// The service desk's reports (SPEC E4, G4) over any range of company days, within the caller's ticket scope: SLA
/// compliance per group, agent or severity; satisfaction per agent, group, category or month. Each ends with a total row.
/// </summary>
public sealed class TicketReports(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock)
{
    public static IReadOnlyList<TicketReportBy> SlaDimensions { get; } = [TicketReportBy.Group, TicketReportBy.Agent, TicketReportBy.Severity];

    public static IReadOnlyList<TicketReportBy> SatisfactionDimensions { get; } = [TicketReportBy.Agent, TicketReportBy.Group, TicketReportBy.Category, TicketReportBy.Month];

    /// <summary>Tickets opened from <paramref name="since"/> up to (not including) <paramref name="until"/>, their two clocks as of now.</summary>
    public async Task<IReadOnlyList<TicketSlaRow>> SlaComplianceAsync(DateTime since, DateTime until, TicketReportBy by, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Reports, Operation.View);
        if (!SlaDimensions.Contains(by))
        {
            throw new ValidationFailedException([new ValidationError("By", "Validation.ReportDimension", $"The SLA report is not grouped by {by}.", by.ToString())]);
        }
        var now = clock.UtcNow;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tickets = db.Tickets.AsNoTracking().VisibleTo(db, currentUser).Where(t => t.OpenedAt >= since && t.OpenedAt < until);
        var counts = by switch
        {
            TicketReportBy.Group => await Count(tickets.GroupBy(t => t.GroupId), now).ToListAsync(cancellationToken),
            TicketReportBy.Agent => await Count(tickets.GroupBy(t => t.AssigneeId), now).ToListAsync(cancellationToken),
            _ => (await Count(tickets.GroupBy(t => t.Severity), now).ToListAsync(cancellationToken))
                .Select(c => c with { Key = (object?)c.Key?.ToString() }).ToList(),
        };
        var names = by == TicketReportBy.Group
            ? await db.SupportGroups.AsNoTracking().Select(g => new { g.Id, g.Name }).ToDictionaryAsync(g => (object)g.Id, g => g.Name, cancellationToken)
            : by == TicketReportBy.Agent ? await UserNamesAsync(db, counts.Select(c => c.Key).OfType<Guid>(), cancellationToken) : [];
        var rows = counts.Select(c => new TicketSlaRow(c.Key is null ? "" : names.GetValueOrDefault(c.Key, c.Key.ToString()!),
            c.Tickets, c.ResponseMet, c.ResponseBreached, c.Tickets - c.ResponseMet - c.ResponseBreached,
            c.ResolutionMet, c.ResolutionBreached, c.Tickets - c.ResolutionMet - c.ResolutionBreached)).ToList();
        var ordered = by == TicketReportBy.Severity
            ? rows.OrderBy(r => Enum.TryParse<TicketSeverity>(r.Key, out var s) ? (int)s : int.MaxValue)
            : rows.OrderBy(r => r.Key.Length == 0).ThenBy(r => r.Key, StringComparer.Ordinal);
        var total = new TicketSlaRow(ReportQueries.Total, rows.Sum(r => r.Tickets), rows.Sum(r => r.ResponseMet), rows.Sum(r => r.ResponseBreached), rows.Sum(r => r.ResponseRunning),
            rows.Sum(r => r.ResolutionMet), rows.Sum(r => r.ResolutionBreached), rows.Sum(r => r.ResolutionRunning));
        return [.. ordered, total];
    }

    /// <summary>Follow-up surveys recorded in the range, grouped by <paramref name="by"/>; months are the company's.</summary>
    public async Task<IReadOnlyList<SatisfactionRow>> SatisfactionAsync(DateTime since, DateTime until, TicketReportBy by, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Reports, Operation.View);
        if (!SatisfactionDimensions.Contains(by))
        {
            throw new ValidationFailedException([new ValidationError("By", "Validation.ReportDimension", $"Satisfaction is not grouped by {by}.", by.ToString())]);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var visible = db.Tickets.VisibleTo(db, currentUser).Select(t => t.Id);
        // Surveys are few (one per resolution): read the range's, group here, where the company's months are known.
        var surveys = await db.TicketFollowUps.AsNoTracking().Where(f => f.At >= since && f.At < until && visible.Contains(f.TicketId))
            .Select(f => new { f.At, f.Score, f.AgentId, f.GroupId, f.Category }).ToListAsync(cancellationToken);
        var groups = by == TicketReportBy.Group
            ? await db.SupportGroups.AsNoTracking().ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken)
            : [];
        var agents = by == TicketReportBy.Agent
            ? (await UserNamesAsync(db, surveys.Select(s => s.AgentId).OfType<Guid>(), cancellationToken)).ToDictionary(n => (Guid)n.Key, n => n.Value)
            : [];
        var rows = surveys.GroupBy(s => by switch
            {
                TicketReportBy.Agent => s.AgentId is { } agent ? agents.GetValueOrDefault(agent, agent.ToString()) : "",
                TicketReportBy.Group => s.GroupId is { } group ? groups.GetValueOrDefault(group, group.ToString()) : "",
                TicketReportBy.Category => s.Category,
                _ => clock.ToLocal(s.At).ToString("yyyy-MM", CultureInfo.InvariantCulture),
            })
            .Select(g => Row(g.Key, g.Select(s => s.Score).ToList()))
            .OrderBy(r => r.Key.Length == 0).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        return [.. rows, Row(ReportQueries.Total, surveys.Select(s => s.Score).ToList())];
    }

    private static SatisfactionRow Row(string key, List<int> scores) => new(key, scores.Count,
        scores.Count == 0 ? null : Math.Round((decimal)scores.Sum() / scores.Count, 2),
        scores.Count(s => s >= 4), scores.Count(s => s <= TicketFollowUp.LowScore));

    private sealed record Counts(object? Key, int Tickets, int ResponseMet, int ResponseBreached, int ResolutionMet, int ResolutionBreached);

    /// <summary>
    /// A response is met when the first response came by its deadline, breached when it came later or has not come and the
    /// deadline passed. A resolution likewise; a ticket waiting for the customer is judged by its deadline as of the pause.
    /// </summary>
    private static IQueryable<Counts> Count<TKey>(IQueryable<IGrouping<TKey, Ticket>> groups, DateTime now) =>
        groups.Select(g => new Counts(g.Key, g.Count(),
            g.Count(t => t.FirstResponseAt != null && t.FirstResponseAt <= t.ResponseDueAt),
            g.Count(t => t.FirstResponseAt != null ? t.FirstResponseAt > t.ResponseDueAt : t.ResponseDueAt < now),
            g.Count(t => t.ResolvedAt != null && t.ResolvedAt <= t.ResolutionDueAt),
            g.Count(t => t.ResolvedAt != null ? t.ResolvedAt > t.ResolutionDueAt : t.PausedSince != null ? t.PausedSince > t.ResolutionDueAt : t.ResolutionDueAt < now)));

    private static async Task<Dictionary<object, string>> UserNamesAsync(CrmDbContext db, IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => (object)u.Id, u => u.DisplayName, cancellationToken);
    }
}
