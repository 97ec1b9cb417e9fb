using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace CrmBlazor.Domain.DataQuality;

/// <summary>The stored data-quality problems of a customer (<see cref="Customer.QualityProblems"/>).</summary>
[Flags]
public enum QualityProblems
{
    None = 0,
    MissingIndustry = 1,
    MissingRegion = 2,
    NoKeyContactReach = 4,
    InvalidPhone = 8,
}

/// <summary>
/// Keeps <see cref="Customer.QualityProblems"/> true (issue 18: the data-quality page over a million customers reads
/// indexed flags instead of loading every customer and parsing each phone). The rule is one SQL statement,
/// <see cref="RefreshAsync"/>, run for the customers a save touched (by <see cref="CrmDbContext"/>, in the save's
/// transaction), and once over customers saved before the flags existed (<see cref="BackfillAsync"/>).
/// A contact's phone is checked once, when it is set (<see cref="Contact.MobileInvalid"/>). An import batch's new customers
/// get theirs from <see cref="Of"/> as they are built.
/// </summary>
public static class CustomerQuality
{
    /// <summary>Each stored problem and the issue the page names it by.</summary>
    public static readonly IReadOnlyDictionary<QualityIssue, QualityProblems> Flags = new Dictionary<QualityIssue, QualityProblems>
    {
        [QualityIssue.MissingIndustry] = QualityProblems.MissingIndustry,
        [QualityIssue.MissingRegion] = QualityProblems.MissingRegion,
        [QualityIssue.NoKeyContactReach] = QualityProblems.NoKeyContactReach,
        [QualityIssue.InvalidPhone] = QualityProblems.InvalidPhone,
    };

    /// <summary>Every stored value that has <paramref name="problem"/> (an IN list the index can seek, unlike a bit test).</summary>
    public static List<QualityProblems?> ValuesWith(QualityProblems problem) =>
        Enumerable.Range(0, 16).Select(v => (QualityProblems)v).Where(v => v.HasFlag(problem)).Select(v => (QualityProblems?)v).ToList();

    /// <summary>Recomputes the problems of <paramref name="customerIds"/> in one statement.</summary>
    public static Task<int> RefreshAsync(CrmDbContext db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken) =>
        customerIds.Count == 0
            ? Task.FromResult(0)
            : db.Customers.Where(c => customerIds.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.QualityProblems, c => (QualityProblems?)(
                (c.Industry == null ? QualityProblems.MissingIndustry : QualityProblems.None)
                | (c.Province == null ? QualityProblems.MissingRegion : QualityProblems.None)
                | (c.Contacts.Any(k => k.IsKey && !k.HasLeft && (k.Mobile != null || k.Email != null)) ? QualityProblems.None : QualityProblems.NoKeyContactReach)
                | (c.Contacts.Any(k => !k.HasLeft && k.MobileInvalid) ? QualityProblems.InvalidPhone : QualityProblems.None))), cancellationToken);

    /// <summary>
    /// <see cref="RefreshAsync"/>'s rule worked out in memory, for customers written without a save (an import batch's new
    /// customers and their contacts, issue 17): the same four tests, so the stored flags are the ones the statement would store
    /// (<c>DataQualityTests</c> compares the two over every combination).
    /// </summary>
    public static QualityProblems Of(Customer customer, IEnumerable<Contact> contacts)
    {
        var problems = (customer.Industry is null ? QualityProblems.MissingIndustry : QualityProblems.None)
            | (customer.Province is null ? QualityProblems.MissingRegion : QualityProblems.None)
            | QualityProblems.NoKeyContactReach;
        foreach (var contact in contacts.Where(k => !k.HasLeft))
        {
            if (contact.IsKey && (contact.Mobile is not null || contact.Email is not null))
            {
                problems &= ~QualityProblems.NoKeyContactReach;
            }
            if (contact.MobileInvalid)
            {
                problems |= QualityProblems.InvalidPhone;
            }
        }
        return problems;
    }

    /// <summary>
    /// The customers whose problems the pending changes may alter: new ones, a changed industry or province, and any
    /// contact added, changed, moved or removed (both its old and new customer).
    /// </summary>
    public static HashSet<Guid> TouchedBy(ChangeTracker changes)
    {
        var touched = new HashSet<Guid>();
        foreach (var entry in changes.Entries<Customer>())
        {
            if (entry.State == EntityState.Added
                || (entry.State == EntityState.Modified && (entry.Property(c => c.Industry).IsModified || entry.Property(c => c.Province).IsModified)))
            {
                touched.Add(entry.Entity.Id);
            }
        }
        foreach (var entry in changes.Entries<Contact>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                touched.Add(entry.Entity.CustomerId);
                if (entry.State == EntityState.Modified && entry.Property(k => k.CustomerId).IsModified)
                {
                    touched.Add(entry.Property(k => k.CustomerId).OriginalValue);
                }
            }
        }
        return touched;
    }

    /// <summary>
    /// Computes the problems of customers saved before they were stored (a database from an earlier version), checking
    /// their contacts' phones first, two thousand customers at a time; a no-op once every customer has them.
    /// </summary>
    public static async Task<int> BackfillAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            // No order: the first two thousand of the index's null range (sorting what is left would read it all, every round).
            var ids = await db.Customers.Where(c => c.QualityProblems == null).Select(c => c.Id).Take(2000).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return done;
            }
            var phones = await db.Contacts.Where(k => ids.Contains(k.CustomerId) && k.Mobile != null).Select(k => new { k.Id, k.Mobile }).ToListAsync(cancellationToken);
            var invalid = phones.Where(p => !ContactRules.IsValidMobile(p.Mobile!)).Select(p => p.Id).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (invalid.Count > 0)
            {
                await db.Contacts.Where(k => invalid.Contains(k.Id)).ExecuteUpdateAsync(s => s.SetProperty(k => k.MobileInvalid, true), cancellationToken);
            }
            done += await RefreshAsync(db, ids, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }
}
