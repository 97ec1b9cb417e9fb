using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.DataQuality;

public enum DuplicateReason
{
    SameName,
    SamePhone,
    SameEmail,
    SimilarName,
}

/// <summary>Two customers that are likely one, why, and how alike their names are (0–100).</summary>
public sealed record DuplicatePair(QualityCustomer First, QualityCustomer Second, IReadOnlySet<DuplicateReason> Reasons, int NameScore);

/// <summary>
/// Likely duplicate customers within the caller's scope (SPEC H4): the stored pairs of <see cref="DuplicateScan"/> (the
/// same name once the legal form is set aside, a shared mobile or e-mail, or FuzzySharp-similar names in one city),
/// after the customers changed since are checked again (up to 300 of them; the minute job does the rest). Both customers of a pair must be in scope. Strongest first.
/// </summary>
public sealed class DuplicateFinder(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public async Task<IReadOnlyList<DuplicatePair>> FindAsync(int max = 200, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Everyday edits show at once; a queue longer than this (a big import) is the minute job's, not the reader's wait.
        await DuplicateScan.RecheckPendingAsync(db, cancellationToken, atMost: 300);
        var visible = db.Customers.AsNoTracking().VisibleTo(currentUser);
        var rows = await (
            from p in db.DuplicateCandidates.AsNoTracking()
            join a in visible on p.FirstId equals a.Id
            join b in visible on p.SecondId equals b.Id
            orderby p.ReasonCount descending, p.NameScore descending, a.NumberOrder, a.Number
            select new
            {
                p.Reasons, p.NameScore,
                First = new QualityCustomer(a.Id, a.Number, a.Name, a.Owner!.DisplayName),
                Second = new QualityCustomer(b.Id, b.Number, b.Name, b.Owner!.DisplayName),
            }).Take(max).ToListAsync(cancellationToken);
        return rows.Select(r => new DuplicatePair(r.First, r.Second, ReasonsOf(r.Reasons), r.NameScore)).ToList();
    }

    private static readonly IReadOnlyDictionary<DuplicateReason, DuplicateReasons> Stored = new Dictionary<DuplicateReason, DuplicateReasons>
    {
        [DuplicateReason.SameName] = DuplicateReasons.SameName,
        [DuplicateReason.SamePhone] = DuplicateReasons.SamePhone,
        [DuplicateReason.SameEmail] = DuplicateReasons.SameEmail,
        [DuplicateReason.SimilarName] = DuplicateReasons.SimilarName,
    };

    private static HashSet<DuplicateReason> ReasonsOf(DuplicateReasons reasons) => Stored.Where(r => reasons.HasFlag(r.Value)).Select(r => r.Key).ToHashSet();
}
