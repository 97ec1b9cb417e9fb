using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.DataQuality;

public enum QualityIssue
{
    MissingIndustry,
    MissingRegion,
    NoKeyContactReach,
    InvalidPhone,
    Stale,
}

public sealed record QualityCustomer(Guid Id, string Number, string Name, string? OwnerName);

/// <summary>The data-quality figures (SPEC H5) within the caller's scope: customers per issue and the share without any.</summary>
public sealed record QualitySummary(int Customers, IReadOnlyDictionary<QualityIssue, int> Issues, int Clean)
{
    public decimal Accuracy => Customers == 0 ? 1 : (decimal)Clean / Customers;
}

/// <summary>One customer drawn for this month's verification sample; its owner ticks it off.</summary>
public sealed class VerificationSample : Entity
{
    public required string Month { get; set; }
    public Guid CustomerId { get; set; }
    public Guid? OwnerId { get; set; }
    public DateTime? VerifiedAt { get; set; }
    public string? VerifiedByName { get; set; }
}

/// <summary>The company's figures in one month (the last recorded in it).</summary>
public sealed record QualityTrendPoint(string Month, int Customers, int Clean)
{
    public decimal Accuracy => Customers == 0 ? 1 : (decimal)Clean / Customers;
}

public sealed record SampleItem(Guid Id, Guid CustomerId, string Number, string Name, string? OwnerName, DateTime? VerifiedAt, string? VerifiedByName);

/// <summary>
/// Data quality (SPEC H5): missing key fields, phones that do not parse, records nobody updated for N
/// months, an accuracy percentage, and a monthly 10% random sample that owners verify and tick off.
/// </summary>
public sealed class DataQualityService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock)
{
    /// <summary>The default age (months since the last change) at which a customer counts as stale.</summary>
    public const int DefaultStaleMonths = 6;

    /// <summary>The accuracy goal (SPEC H5: 准确率≥95%).</summary>
    public const decimal AccuracyGoal = 0.95m;

    public async Task<QualitySummary> SummaryAsync(int staleMonths = DefaultStaleMonths, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await FiguresAsync(db.Customers.VisibleTo(currentUser), StaleBefore(staleMonths), RecordScope.SeesEveryone(currentUser), cancellationToken);
    }

    /// <summary>
    /// The figures of <paramref name="customers"/>. Over the whole base (<paramref name="wholeBase"/>), three index reads of
    /// <c>(QualityProblems, UpdatedAt)</c> and <c>UpdatedAt</c>: customers per stored problem set (at most 16 groups), the
    /// stale ones, and the clean ones — a group key with the staleness in it would make the database sort a million rows.
    /// Within a portfolio or a team, one grouped query over the scope's own index.
    /// </summary>
    internal static async Task<QualitySummary> FiguresAsync(IQueryable<Customer> customers, DateTime staleBefore, bool wholeBase, CancellationToken cancellationToken)
    {
        customers = customers.AsNoTracking();
        if (!wholeBase)
        {
            var scoped = await customers.GroupBy(c => new { c.QualityProblems, Stale = c.UpdatedAt < staleBefore })
                .Select(g => new { g.Key.QualityProblems, g.Key.Stale, Count = g.Count() }).ToListAsync(cancellationToken);
            return Summary(scoped.Select(g => (g.QualityProblems ?? QualityProblems.None, g.Count)).ToList(),
                scoped.Where(g => g.Stale).Sum(g => g.Count), scoped.Where(g => !g.Stale && (g.QualityProblems ?? QualityProblems.None) == QualityProblems.None).Sum(g => g.Count));
        }
        var groups = await customers.GroupBy(c => c.QualityProblems).Select(g => new { Problems = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var stale = await customers.CountAsync(c => c.UpdatedAt < staleBefore, cancellationToken);
        var clean = await customers.CountAsync(c => c.QualityProblems == QualityProblems.None && c.UpdatedAt >= staleBefore, cancellationToken);
        return Summary(groups.Select(g => (g.Problems ?? QualityProblems.None, g.Count)).ToList(), stale, clean);
    }

    private static QualitySummary Summary(List<(QualityProblems Problems, int Count)> groups, int stale, int clean) =>
        new(groups.Sum(g => g.Count), Enum.GetValues<QualityIssue>().ToDictionary(i => i, i => i == QualityIssue.Stale
            ? stale
            : groups.Where(g => g.Problems.HasFlag(CustomerQuality.Flags[i])).Sum(g => g.Count)), clean);

    /// <summary>The customers with <paramref name="issue"/> (the first 200 by number; stale ones, the longest untouched first): the drill-down.</summary>
    public async Task<IReadOnlyList<QualityCustomer>> CustomersWithAsync(QualityIssue issue, int staleMonths = DefaultStaleMonths, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = db.Customers.AsNoTracking().VisibleTo(currentUser);
        if (issue == QualityIssue.Stale)
        {
            // The longest untouched first: the UpdatedAt index read from its start, not every stale customer sorted by number.
            var staleBefore = StaleBefore(staleMonths);
            return await customers.Where(c => c.UpdatedAt < staleBefore).OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id).Take(200)
                .Select(c => new QualityCustomer(c.Id, c.Number, c.Name, c.Owner!.DisplayName)).ToListAsync(cancellationToken);
        }
        else
        {
            var values = CustomerQuality.ValuesWith(CustomerQuality.Flags[issue]);
            customers = customers.Where(c => values.Contains(c.QualityProblems));
        }
        return await customers.OrderBy(c => c.NumberOrder).ThenBy(c => c.Number).Take(200)
            .Select(c => new QualityCustomer(c.Id, c.Number, c.Name, c.Owner!.DisplayName)).ToListAsync(cancellationToken);
    }

    /// <summary>The company's accuracy month by month (the last <paramref name="months"/>, oldest first), as <see cref="DataQualityJob"/> recorded it.</summary>
    public async Task<IReadOnlyList<QualityTrendPoint>> TrendAsync(int months = 12, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var points = await db.QualityMonths.AsNoTracking().OrderByDescending(m => m.Month).Take(months)
            .Select(m => new QualityTrendPoint(m.Month, m.Customers, m.Clean)).ToListAsync(cancellationToken);
        points.Reverse();
        return points;
    }

    /// <summary>Supervisors and Admins draw the monthly sample.</summary>
    public static bool MayDrawSample(ICurrentUser user) => user.IsIn(Role.Supervisor) || user.IsIn(Role.Admin);

    /// <summary>Draws this month's sample (10% of the caller's customers, at least one) unless it exists; Supervisors and Admins.</summary>
    public async Task<int> DrawSampleAsync(CancellationToken cancellationToken = default)
    {
        if (!MayDrawSample(currentUser))
        {
            throw new AccessDeniedException("Error.SampleNotAllowed", "Supervisors and Admins draw the verification sample.");
        }
        var month = Month();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var taken = await db.VerificationSamples.Where(s => s.Month == month).Select(s => s.CustomerId).ToListAsync(cancellationToken);
        var candidates = await db.Customers.VisibleTo(currentUser).Where(c => !taken.Contains(c.Id)).Select(c => new { c.Id, c.OwnerId }).ToListAsync(cancellationToken);
        var size = Math.Max(1, (candidates.Count + taken.Count + 9) / 10) - taken.Count;
        var drawn = candidates.OrderBy(_ => Random.Shared.Next()).Take(Math.Max(0, size)).ToList();
        db.VerificationSamples.AddRange(drawn.Select(c => new VerificationSample { Month = month, CustomerId = c.Id, OwnerId = c.OwnerId }));
        await db.SaveChangesAsync(cancellationToken);
        return drawn.Count;
    }

    /// <summary>This month's sample within the caller's scope, unverified first.</summary>
    public async Task<IReadOnlyList<SampleItem>> SampleAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        var month = Month();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (
            from s in db.VerificationSamples
            join c in db.Customers.VisibleTo(currentUser) on s.CustomerId equals c.Id
            where s.Month == month
            orderby s.VerifiedAt != null, c.Number
            select new SampleItem(s.Id, c.Id, c.Number, c.Name, c.Owner!.DisplayName, s.VerifiedAt, s.VerifiedByName))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The customer's owner (or a Supervisor/Admin over it) confirms its data was checked.</summary>
    public async Task VerifyAsync(Guid sampleId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Edit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sample = await db.VerificationSamples.SingleOrDefaultAsync(s => s.Id == sampleId, cancellationToken) ?? throw new NotFoundException(nameof(VerificationSample), sampleId);
        if (!await db.Customers.VisibleTo(currentUser).AnyAsync(c => c.Id == sample.CustomerId, cancellationToken))
        {
            throw await RecordScope.RefusalAsync(db.Customers, sample.CustomerId, cancellationToken);
        }
        sample.VerifiedAt = clock.UtcNow;
        sample.VerifiedByName = currentUser.DisplayName;
        await db.SaveChangesAsync(cancellationToken);
    }

    private string Month() => clock.Month;

    private DateTime StaleBefore(int staleMonths) => clock.UtcNow.AddMonths(-staleMonths);
}
