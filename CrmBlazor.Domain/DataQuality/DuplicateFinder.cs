using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using FuzzySharp;
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
/// Finds likely duplicate customers within the caller's scope (SPEC H4): the same name once the legal form
/// and punctuation are set aside, a shared mobile or e-mail, or names FuzzySharp scores at 80 or more within
/// the same city. Strongest first.
/// </summary>
public sealed class DuplicateFinder(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    /// <summary>One character apart in an eight-character name scores 88; two apart in a short name falls well below.</summary>
    public const int SimilarNameScore = 80;

    public async Task<IReadOnlyList<DuplicatePair>> FindAsync(int max = 200, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.View);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var customers = await db.Customers.AsNoTracking().VisibleTo(currentUser)
            .Select(c => new
            {
                c.Id, c.Number, c.Name, c.City, OwnerName = c.Owner!.DisplayName,
                Mobiles = c.Contacts.Where(k => !k.HasLeft && k.Mobile != null).Select(k => k.Mobile!).ToList(),
                Emails = c.Contacts.Where(k => !k.HasLeft && k.Email != null).Select(k => k.Email!).ToList(),
            })
            .ToListAsync(cancellationToken);
        var byId = customers.ToDictionary(c => c.Id);
        var names = customers.ToDictionary(c => c.Id, c => CustomerSearch.NameKeyOf(c.Name));
        var pairs = new Dictionary<(Guid, Guid), HashSet<DuplicateReason>>();
        void Add(Guid a, Guid b, DuplicateReason reason)
        {
            var key = a.CompareTo(b) < 0 ? (a, b) : (b, a);
            if (!pairs.TryGetValue(key, out var reasons))
            {
                pairs[key] = reasons = [];
            }
            reasons.Add(reason);
        }
        void Group(IEnumerable<(string Key, Guid Id)> keyed, DuplicateReason reason)
        {
            foreach (var group in keyed.Where(k => k.Key.Length > 0).GroupBy(k => k.Key).Where(g => g.Select(x => x.Id).Distinct().Count() > 1))
            {
                var ids = group.Select(x => x.Id).Distinct().ToList();
                for (var i = 0; i < ids.Count; i++)
                {
                    for (var j = i + 1; j < ids.Count; j++)
                    {
                        Add(ids[i], ids[j], reason);
                    }
                }
            }
        }
        Group(names.Select(n => (n.Value, n.Key)), DuplicateReason.SameName);
        Group(customers.SelectMany(c => c.Mobiles.Select(m => (m, c.Id))), DuplicateReason.SamePhone);
        Group(customers.SelectMany(c => c.Emails.Select(e => (e.ToLowerInvariant(), c.Id))), DuplicateReason.SameEmail);
        foreach (var city in customers.GroupBy(c => c.City ?? ""))
        {
            var inCity = city.ToList();
            for (var i = 0; i < inCity.Count; i++)
            {
                for (var j = i + 1; j < inCity.Count; j++)
                {
                    var (a, b) = (names[inCity[i].Id], names[inCity[j].Id]);
                    if (a != b && Math.Abs(a.Length - b.Length) <= 2 && Fuzz.Ratio(a, b) >= SimilarNameScore)
                    {
                        Add(inCity[i].Id, inCity[j].Id, DuplicateReason.SimilarName);
                    }
                }
            }
        }
        QualityCustomer Of(Guid id) => new(id, byId[id].Number, byId[id].Name, byId[id].OwnerName);
        return pairs.Select(p => new DuplicatePair(Of(p.Key.Item1), Of(p.Key.Item2), p.Value, Fuzz.Ratio(names[p.Key.Item1], names[p.Key.Item2])))
            .OrderByDescending(p => p.Reasons.Count).ThenByDescending(p => p.NameScore).ThenBy(p => p.First.Number, StringComparer.Ordinal)
            .Take(max).ToList();
    }
}
