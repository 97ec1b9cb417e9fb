using System.Globalization;
using System.Text;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Customers;

/// <summary>
/// One search key of a customer (SPEC B6 search box). <c>p</c> rows hold whole values matched by
/// prefix (number, mobile, e-mail); <c>b</c> rows hold the overlapping two-character pieces of names
/// (company and contacts), so that "海纳" or "科技" finds a name containing it without scanning every
/// customer. A plain table with a B-tree index works the same on SQLite, SQL Server and PostgreSQL,
/// where trigram and full-text indexes differ per provider and ignore two-character Chinese words.
/// </summary>
public sealed class CustomerSearchToken
{
    public const string Prefix = "p";
    public const string Bigram = "b";

    /// <summary>The whole name, normalised and without its legal form: how an import finds a customer it would duplicate.</summary>
    public const string NameKey = "n";

    public Guid CustomerId { get; set; }
    public required string Kind { get; set; }
    public required string Token { get; set; }
}

public static class CustomerSearch
{
    /// <summary>The keys of one customer: its number (and its external code), its contacts' mobiles and e-mails, and the name pieces.</summary>
    public static HashSet<(string Kind, string Token)> TokensOf(Customer customer, IEnumerable<Contact> contacts)
    {
        var tokens = new HashSet<(string, string)>();
        var people = contacts.ToList();
        foreach (var value in people.SelectMany(c => new[] { c.Mobile, c.Email }).Append(customer.Number).Append(customer.ExternalCode))
        {
            var normal = Normalize(value);
            if (normal.Length > 0)
            {
                tokens.Add((CustomerSearchToken.Prefix, Clip(normal)));
            }
        }
        var nameKey = NameKeyOf(customer.Name);
        if (nameKey.Length > 0)
        {
            tokens.Add((CustomerSearchToken.NameKey, Clip(nameKey)));
        }
        foreach (var name in people.Select(c => c.Name).Append(WithoutLegalForm(customer.Name)))
        {
            foreach (var bigram in Bigrams(Normalize(name)))
            {
                tokens.Add((CustomerSearchToken.Bigram, bigram));
            }
        }
        return tokens;
    }

    /// <summary>Brings the stored keys of a tracked customer in line with its current values (saved with the caller's SaveChanges).</summary>
    public static async Task RefreshAsync(CrmDbContext db, Customer customer, IEnumerable<Contact> contacts, CancellationToken cancellationToken)
    {
        var wanted = TokensOf(customer, contacts);
        var stored = db.Entry(customer).State == EntityState.Added
            ? []
            : await db.CustomerSearchTokens.Where(t => t.CustomerId == customer.Id).ToListAsync(cancellationToken);
        db.CustomerSearchTokens.RemoveRange(stored.Where(t => !wanted.Contains((t.Kind, t.Token))));
        var have = stored.Select(t => (t.Kind, t.Token)).ToHashSet();
        db.CustomerSearchTokens.AddRange(wanted.Where(w => !have.Contains(w))
            .Select(w => new CustomerSearchToken { CustomerId = customer.Id, Kind = w.Kind, Token = w.Token }));
    }

    /// <summary>
    /// Deletes the keys of customers about to be deleted, at once: call it in the transaction that deletes them. The keys
    /// have no foreign key to cascade (docs/decisions/0030), and a key left behind would still match an import's name.
    /// </summary>
    public static Task<int> DeleteKeysAsync(CrmDbContext db, IReadOnlyCollection<Guid> customerIds, CancellationToken cancellationToken) =>
        db.CustomerSearchTokens.Where(t => customerIds.Contains(t.CustomerId)).ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Customers matching the search box: a number, mobile or e-mail starting with the term, or a
    /// company or contact name holding all its two-character pieces. Seeks the token index; only a
    /// one-character term scans the names.
    /// </summary>
    public static IQueryable<Customer> Matching(CrmDbContext db, IQueryable<Customer> customers, string search)
    {
        var term = Normalize(search);
        if (term.Length == 0)
        {
            return customers;
        }
        if (term.Length == 1)
        {
            return customers.Where(c => c.Name.Contains(term) || c.Contacts.Any(k => k.Name.Contains(term)));
        }

        var keys = KeysOf(search, term);
        var byPrefix = db.CustomerSearchTokens
            .Where(t => t.Kind == CustomerSearchToken.Prefix && string.Compare(t.Token, keys.Low) >= 0 && string.Compare(t.Token, keys.High) < 0)
            .Select(t => t.CustomerId);
        // A name holding every piece of the term matches (one INTERSECT arm per piece: SQLite keeps the first arm and only
        // probes it with the others, where a GROUP BY over all the pieces sorted every posting of a common one). The pieces
        // occurring apart in one name is rare enough in company and person names to accept rather than re-scan the names.
        // CustomerListStatements' compiled search writes these same three ways in.
        var byName = db.CustomerSearchTokens.Where(t => t.Kind == CustomerSearchToken.Bigram && t.Token == keys.Pieces[0]).Select(t => t.CustomerId);
        foreach (var piece in keys.Pieces.Skip(1))
        {
            byName = byName.Intersect(db.CustomerSearchTokens.Where(t => t.Kind == CustomerSearchToken.Bigram && t.Token == piece).Select(t => t.CustomerId));
        }
        // A merged customer's old number finds the survivor (SPEC H4).
        var byAlias = db.CustomerAliases.Where(a => a.Number == keys.Upper).Select(a => a.CustomerId);
        var ids = byPrefix.Union(byName).Union(byAlias);
        return customers.Where(c => ids.Contains(c.Id));
    }

    /// <summary>What the search box looks up for a term of two characters or more (normalised): see <see cref="Matching"/>.</summary>
    internal sealed record SearchKeys(string Low, string High, List<string> Pieces, string Upper);

    /// <summary>The keys of a term, or null when the term is shorter than two characters once normalised.</summary>
    internal static SearchKeys? KeysOf(string search)
    {
        var term = Normalize(search);
        return term.Length < 2 ? null : KeysOf(search, term);
    }

    private static SearchKeys KeysOf(string search, string term)
    {
        var low = Clip(term);
        return new SearchKeys(low, low + '\uffff', Bigrams(term).Distinct().ToList(), search.Trim().ToUpperInvariant());
    }

    /// <summary>The <see cref="CustomerSearchToken.Prefix"/> key a whole mobile or e-mail is stored under: how a lead finds the customer it may already be.</summary>
    public static string PrefixKeyOf(string? value) => Clip(Normalize(value));

    /// <summary>The two-character pieces of a company name without its legal form (the blocking key of the similar-name check).</summary>
    public static IEnumerable<string> NamePieces(string name) => Bigrams(Normalize(WithoutLegalForm(name))).Distinct();

    /// <summary>"杭州云帆网络科技有限公司", "杭州云帆网络科技 股份有限公司" and "杭州云帆网络科技" share one key.</summary>
    public static string NameKeyOf(string? name) => Clip(Normalize(WithoutLegalForm(name ?? "")));

    /// <summary>
    /// Adds the name key to customers saved before it existed (a database from an earlier version), a
    /// thousand at a time; a no-op once every customer has one.
    /// </summary>
    public static async Task<int> BackfillNameKeysAsync(CrmDbContext db, CancellationToken cancellationToken)
    {
        var added = 0;
        while (true)
        {
            var missing = await db.Customers.AsNoTracking()
                .Where(c => !db.CustomerSearchTokens.Any(t => t.CustomerId == c.Id && t.Kind == CustomerSearchToken.NameKey))
                .OrderBy(c => c.Id).Select(c => new { c.Id, c.Name }).Take(1000).ToListAsync(cancellationToken);
            var keyed = missing.Where(c => NameKeyOf(c.Name).Length > 0).ToList();
            if (keyed.Count == 0)
            {
                return added;
            }
            db.CustomerSearchTokens.AddRange(keyed.Select(c => new CustomerSearchToken { CustomerId = c.Id, Kind = CustomerSearchToken.NameKey, Token = NameKeyOf(c.Name) }));
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            // No foreign key refuses a key whose customer another instance deleted meanwhile (docs/decisions/0030): drop it.
            var ids = keyed.Select(c => c.Id).ToList();
            await db.CustomerSearchTokens.Where(t => ids.Contains(t.CustomerId) && !db.Customers.Any(c => c.Id == t.CustomerId)).ExecuteDeleteAsync(cancellationToken);
            added += keyed.Count;
        }
    }

    /// <summary>Lower-case, full-width letters and digits folded, spaces and most punctuation dropped.</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "";
        }
        if (IsStableUnderFormKC(value))
        {
            // ASCII and CJK ideographs only: NFKC leaves them, lower case touches only A–Z, every ideograph is a letter.
            var plain = new StringBuilder(value.Length);
            foreach (var ch in value)
            {
                if (char.IsAsciiLetterUpper(ch))
                {
                    plain.Append((char)(ch | 0x20));
                }
                else if (char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '@' or '.' or '+' or '-' or '_' || ch >= '\u3400')
                {
                    plain.Append(ch);
                }
            }
            return plain.ToString();
        }
        var folded = value.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(folded.Length);
        foreach (var ch in folded)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (char.IsLetterOrDigit(ch) || ch is '@' or '.' or '+' or '-' or '_' || category == UnicodeCategory.OtherLetter)
            {
                builder.Append(ch);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// True when NFKC leaves <paramref name="value"/> as it is because every character is ASCII or a CJK unified ideograph
    /// (neither decomposes, and no combining mark is there to compose with): most names, numbers, phones and e-mails. The
    /// check spares them ICU's normalization and case change, which cost more than the rest of an imported row's reading.
    /// </summary>
    internal static bool IsStableUnderFormKC(string value)
    {
        foreach (var ch in value)
        {
            if (ch >= '\u0080' && ch is not (>= '\u3400' and <= '\u4DBF') and not (>= '\u4E00' and <= '\u9FFF'))
            {
                return false;
            }
        }
        return true;
    }

    private static readonly string[] LegalForms = ["股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司"];

    /// <summary>"有限公司" ends most names: as search keys its pieces would match everyone, so they are left out.</summary>
    public static string WithoutLegalForm(string name)
    {
        var trimmed = name.Trim();
        var form = LegalForms.FirstOrDefault(f => trimmed.EndsWith(f, StringComparison.Ordinal) && trimmed.Length > f.Length);
        return form is null ? trimmed : trimmed[..^form.Length];
    }

    private static IEnumerable<string> Bigrams(string text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            yield return text.Substring(i, 2);
        }
    }

    private static string Clip(string token) => token.Length > 200 ? token[..200] : token;
}
