using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

public sealed record SampleItem(Guid Id, Guid CustomerId, string Number, string Name, string? OwnerName, DateTime? VerifiedAt, string? VerifiedByName);

/// <summary>
/// Data quality (SPEC H5): missing key fields, phones that do not parse, records nobody updated for N
/// months, an accuracy percentage, and a monthly 10% random sample that owners verify and tick off.
/// </summary>
public sealed class DataQualityService(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock)
{
    public async Task<QualitySummary> SummaryAsync(int staleMonths = 6, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        var flagged = await FlagsAsync(staleMonths, cancellationToken);
        var issues = Enum.GetValues<QualityIssue>().ToDictionary(i => i, i => flagged.Count(f => f.Issues.Contains(i)));
        return new QualitySummary(flagged.Count, issues, flagged.Count(f => f.Issues.Count == 0));
    }

    /// <summary>The customers with <paramref name="issue"/> (first 200 by number): the drill-down.</summary>
    public async Task<IReadOnlyList<QualityCustomer>> CustomersWithAsync(QualityIssue issue, int staleMonths = 6, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        return (await FlagsAsync(staleMonths, cancellationToken)).Where(f => f.Issues.Contains(issue)).Select(f => f.Customer)
            .OrderBy(c => c.Number, StringComparer.Ordinal).Take(200).ToList();
    }

    /// <summary>Draws this month's sample (10% of the caller's customers, at least one) unless it exists; Supervisors and Admins.</summary>
    public async Task<int> DrawSampleAsync(CancellationToken cancellationToken = default)
    {
        if (!currentUser.IsIn(Role.Supervisor) && !currentUser.IsIn(Role.Admin))
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

    private async Task<List<(QualityCustomer Customer, HashSet<QualityIssue> Issues)>> FlagsAsync(int staleMonths, CancellationToken cancellationToken)
    {
        var staleBefore = clock.UtcNow.AddMonths(-staleMonths);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = await db.Customers.AsNoTracking().VisibleTo(currentUser)
            .Select(c => new
            {
                c.Id, c.Number, c.Name, OwnerName = c.Owner!.DisplayName, c.Industry, c.Province, c.UpdatedAt,
                Reach = c.Contacts.Any(k => k.IsKey && !k.HasLeft && (k.Mobile != null || k.Email != null)),
                Phones = c.Contacts.Where(k => !k.HasLeft && k.Mobile != null).Select(k => k.Mobile).ToList(),
            })
            .ToListAsync(cancellationToken);
        return customers.Select(c =>
        {
            var issues = new HashSet<QualityIssue>();
            if (c.Industry is null) issues.Add(QualityIssue.MissingIndustry);
            if (c.Province is null) issues.Add(QualityIssue.MissingRegion);
            if (!c.Reach) issues.Add(QualityIssue.NoKeyContactReach);
            if (c.Phones.Any(p => ContactRules.NormalizeMobile(p, "", []) is null)) issues.Add(QualityIssue.InvalidPhone);
            if (c.UpdatedAt < staleBefore) issues.Add(QualityIssue.Stale);
            return (new QualityCustomer(c.Id, c.Number, c.Name, c.OwnerName), issues);
        }).ToList();
    }
}

internal sealed class VerificationSampleConfiguration : IEntityTypeConfiguration<VerificationSample>
{
    public void Configure(EntityTypeBuilder<VerificationSample> builder)
    {
        builder.Property(s => s.Month).HasMaxLength(7);
        builder.Property(s => s.VerifiedByName).HasMaxLength(100);
        builder.HasIndex(s => new { s.Month, s.CustomerId }).IsUnique();
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
