using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Importing;

/// <summary>
/// What one checked row of a contacts-only sheet does: adds a person to an existing customer (<see cref="CustomerId"/>),
/// or, when <see cref="ImportRow.TargetId"/> names one of that customer's contacts, updates it.
/// </summary>
public sealed record ContactImportValues(string CustomerText, string Name, string? Title, string? Mobile, string? Landline, string? Email, bool IsKey)
{
    /// <summary>The customer the row belongs to, once found in the database.</summary>
    public Guid? CustomerId { get; set; }
}

/// <summary>
/// Contacts for customers already in the CRM (issue 17): one person per row, matched to their customer by our number, the
/// sheet's own number (<see cref="Customer.ExternalCode"/>) or the customer's exact name; phones and e-mails cleaned and
/// checked as <see cref="CustomerRows"/> does. A person the customer already has (same name, mobile or e-mail) is, in
/// "create and update", updated with the row's non-empty cells; in "create only", a row problem. An import makes a contact
/// key when the row says so and never takes the key away (the customer keeps at least one, SPEC B2).
/// </summary>
public sealed class ContactRows : IImportRows
{
    public const string NumberHeader = "客户编号";
    public const string CustomerNameHeader = "客户名称";
    public const string NameHeader = "联系人";
    public const string TitleHeader = "职务";
    public const string MobileHeader = "手机";
    public const string LandlineHeader = "座机";
    public const string EmailHeader = "邮箱";
    public const string KeyHeader = "关键联系人";

    /// <summary>The template's one example row (its headers are the fields' Chinese names).</summary>
    public static IReadOnlyDictionary<string, object?> Example { get; } = new Dictionary<string, object?>
    {
        [NumberHeader] = "CRM2026001",
        [CustomerNameHeader] = "苏州恒信精密制造有限公司",
        [NameHeader] = "王敏",
        [TitleHeader] = "采购经理",
        [MobileHeader] = "13800138000",
        [LandlineHeader] = "0512-66881234",
        [EmailHeader] = "wangmin@example.cn",
        [KeyHeader] = "否",
    };

    private static readonly string[] Yes = ["是", "Y", "YES", "TRUE", "1", "√", "✓", "关键", "KEY"];
    private static readonly string[] No = ["否", "N", "NO", "FALSE", "0", "×", "X"];

    public IReadOnlyList<ImportTarget> Targets { get; } =
    [
        new(NumberHeader, NumberHeader, "Customer number", false, ["客户编码", "编号", "客户代码", "Customer no", "Customer code", "Number"]),
        new(CustomerRows.ExternalCodeHeader, CustomerRows.ExternalCodeHeader, "External code", false, ["原编号", "原客户编号", "旧编号", "原系统编号", "外部编码", "Legacy ID", "External ID"]),
        new(CustomerNameHeader, CustomerNameHeader, "Customer", false, ["公司名称", "单位名称", "企业名称", "公司", "所属客户", "所属公司", "Company", "Company name", "Customer name"]),
        new(NameHeader, NameHeader, "Contact", true, ["联系人姓名", "姓名", "对接人", "Contact name", "Name"]),
        new(TitleHeader, TitleHeader, "Title", false, ["职位", "岗位", "Position", "Job title"]),
        new(MobileHeader, MobileHeader, "Mobile", false, ["手机号", "手机号码", "联系电话", "电话", "Phone", "Mobile phone"]),
        new(LandlineHeader, LandlineHeader, "Landline", false, ["固定电话", "办公电话", "座机号码", "Office phone", "Telephone"]),
        new(EmailHeader, EmailHeader, "E-mail", false, ["电子邮箱", "邮件", "电子邮件", "Email", "Mail"]),
        new(KeyHeader, KeyHeader, "Key contact", false, ["是否关键联系人", "主要联系人", "关键人", "Key", "Primary contact"]),
    ];

    private sealed record NamedCustomer(string Name, Guid Id);

    private sealed record KnownPerson(Guid Id, Guid CustomerId, string Name, string? Mobile, string? Email);

    private readonly ImportMode _mode;
    private readonly ICurrentUser _user;
    private readonly IReadOnlyDictionary<string, int> _limits;
    private readonly SeenKeys _seen; // each (customer, person) pair named so far, with its first row
    private Dictionary<string, string> _keys = [];
    private string[]? _headerOrder;

    private ContactRows(ImportMode mode, ICurrentUser user, IReadOnlyDictionary<string, int> limits, int sheetRows) =>
        (_mode, _user, _limits, _seen) = (mode, user, limits, new SeenKeys(sheetRows));

    /// <param name="sheetRows">The rows the sheet runs to: no more people can be named in it.</param>
    public static ContactRows Load(CrmDbContext db, ImportMode mode, ICurrentUser user, int sheetRows)
    {
        var contact = db.Model.FindEntityType(typeof(Contact))!;
        int Max(string property) => contact.FindProperty(property)!.GetMaxLength() ?? int.MaxValue;
        return new ContactRows(mode, user, new Dictionary<string, int>
        {
            [NameHeader] = Max(nameof(Contact.Name)),
            [TitleHeader] = Max(nameof(Contact.Title)),
            [EmailHeader] = Max(nameof(Contact.Email)),
        }, sheetRows);
    }

    /// <summary>No coded columns: the key flag is read as yes or no, anything else is a row problem.</summary>
    public ImportValueTally Values { get; } = new();

    public void UseValues(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> map)
    {
    }

    public void UseColumns(IReadOnlyDictionary<string, string> map)
    {
        var known = Targets.Select(t => t.Key).ToHashSet();
        _keys = map.Where(m => known.Contains(m.Value)).ToDictionary(m => m.Value, m => m.Key);
        _headerOrder = null;
    }

    public ImportRow Read(IDictionary<string, object?> raw, int index, int rowNumber)
    {
        _headerOrder ??= raw.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).ToArray();
        var row = ImportRow.Of(raw, _headerOrder, index, rowNumber);
        string? Text(string field) => _keys.TryGetValue(field, out var key) && raw.TryGetValue(key, out var value) ? CustomerRows.CellText(value) : null;

        // Which customer: our number, else the sheet's own number (a 客户编号 that is not ours is one), else the name.
        row.Number = Text(NumberHeader);
        row.ExternalCode = Text(CustomerRows.ExternalCodeHeader);
        if (row.Number is not null && CustomerNumbers.OrderOf(row.Number) == CustomerNumbers.Unordered && row.ExternalCode is null)
        {
            (row.ExternalCode, row.Number) = (row.Number, null);
        }
        var customerName = Text(CustomerNameHeader);
        var customerText = row.Number ?? row.ExternalCode ?? customerName;
        if (customerText is null)
        {
            row.Problems.Add(new(CustomerNameHeader, ImportProblemKind.Required, "缺少客户：请填写客户编号、外部编号或客户名称", "Which customer? Give its number, external code or name"));
        }

        var name = Text(NameHeader);
        if (name is null)
        {
            row.Problems.Add(new(NameHeader, ImportProblemKind.Required, "缺少联系人姓名", "The contact's name is missing"));
        }
        foreach (var (field, en) in new[] { (NameHeader, "Contact"), (TitleHeader, "Title"), (EmailHeader, "E-mail") })
        {
            if (Text(field) is { } value && value.Length > _limits[field])
            {
                row.Problems.Add(new(field, ImportProblemKind.InvalidFormat, $"{field}超过 {_limits[field]} 个字符", $"{en} is longer than {_limits[field]} characters"));
            }
        }

        var (mobile, landline, email) = CustomerRows.ReadReachability(row, Text(MobileHeader), Text(LandlineHeader), Text(EmailHeader));

        var isKey = false;
        if (Text(KeyHeader) is { } key)
        {
            var upper = key.ToUpperInvariant();
            if (Yes.Contains(upper))
            {
                isKey = true;
            }
            else if (!No.Contains(upper))
            {
                row.Problems.Add(new(KeyHeader, ImportProblemKind.UnknownValue, $"关键联系人“{key}”应为“是”或“否”", $"Key contact \"{key}\" should be yes or no"));
            }
        }

        row.Contact = new ContactImportValues(customerText ?? "", name ?? "", Text(TitleHeader), mobile, landline, email, isKey);
        if (customerText is not null && name is not null)
        {
            // The customer's length first: no two different pairs make the same text, whatever characters they hold.
            if (_seen.FirstRow($"{customerText.Length}:{customerText}{name}", row.RowNumber) is { } first)
            {
                row.Problems.Add(new(NameHeader, ImportProblemKind.DuplicateInFile, $"与第 {first} 行是同一客户的同一联系人", $"The same contact of the same customer as row {first}"));
            }
        }
        return row;
    }

    /// <summary>
    /// A chunk against the database: each row's customer found (by number, merged-away number, external code or exact
    /// name) and in the importer's scope, and the person it already has, if any.
    /// </summary>
    public async Task CheckAgainstDatabaseAsync(CrmDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var valid = rows.Where(r => r.IsValid && r.Contact is not null).ToList();
        var numbers = valid.Select(r => r.Number).OfType<string>().Distinct().ToList();
        var codes = valid.Where(r => r.Number is null).Select(r => r.ExternalCode).OfType<string>().Distinct().ToList();
        var names = valid.Where(r => r.Number is null && r.ExternalCode is null).Select(r => r.Contact!.CustomerText).Distinct().ToList();
        var byNumber = numbers.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => EF.Parameter(numbers).Contains(c.Number))
            .ToDictionaryAsync(c => c.Number, c => c.Id, StringComparer.Ordinal, cancellationToken);
        var merged = numbers.Where(n => !byNumber.ContainsKey(n)).ToList();
        if (merged.Count > 0)
        {
            foreach (var alias in await db.CustomerAliases.AsNoTracking().Where(a => EF.Parameter(merged).Contains(a.Number)).ToListAsync(cancellationToken))
            {
                byNumber[alias.Number] = alias.CustomerId;
            }
        }
        var byCode = codes.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => c.ExternalCode != null && EF.Parameter(codes).Contains(c.ExternalCode))
            .ToDictionaryAsync(c => c.ExternalCode!, c => c.Id, StringComparer.Ordinal, cancellationToken);
        var byName = (names.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => EF.Parameter(names).Contains(c.Name)).Select(c => new NamedCustomer(c.Name, c.Id)).ToListAsync(cancellationToken))
            .ToLookup(c => c.Name, c => c.Id, StringComparer.Ordinal);
        var found = byNumber.Values.Concat(byCode.Values).Concat(byName.SelectMany(g => g)).Distinct().ToList();
        var visible = found.Count == 0 ? [] : await db.Customers.AsNoTracking().VisibleTo(_user).Where(c => found.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Number, cancellationToken);
        var visibleIds = visible.Keys.ToList();
        var people = (visibleIds.Count == 0 ? [] : await db.Contacts.AsNoTracking().Where(k => visibleIds.Contains(k.CustomerId) && !k.HasLeft)
            .Select(k => new KnownPerson(k.Id, k.CustomerId, k.Name, k.Mobile, k.Email)).ToListAsync(cancellationToken)).ToLookup(k => k.CustomerId);

        foreach (var row in valid)
        {
            var values = row.Contact!;
            values.CustomerId = null;
            Guid? id = null;
            if (row.Number is { } number)
            {
                id = byNumber.TryGetValue(number, out var n) ? n : null;
            }
            else if (row.ExternalCode is { } code)
            {
                id = byCode.TryGetValue(code, out var c) ? c : null;
            }
            else
            {
                var named = byName[values.CustomerText].ToList();
                if (named.Count > 1)
                {
                    row.Problems.Add(new(CustomerNameHeader, ImportProblemKind.UnknownValue, $"有 {named.Count} 个客户叫“{values.CustomerText}”：请填写客户编号",
                        $"{named.Count} customers are called \"{values.CustomerText}\": give the customer number"));
                    continue;
                }
                id = named.Count == 1 ? named[0] : null;
            }
            if (id is not { } customerId)
            {
                row.Problems.Add(new(row.Number is null && row.ExternalCode is null ? CustomerNameHeader : NumberHeader, ImportProblemKind.NumberNotFound,
                    $"找不到客户“{values.CustomerText}”：联系人只能加到已有客户上", $"No customer \"{values.CustomerText}\": contacts are added to existing customers only"));
                continue;
            }
            if (!visible.TryGetValue(customerId, out var customerNumber))
            {
                row.Problems.Add(new(NumberHeader, ImportProblemKind.OutOfScope, $"客户“{values.CustomerText}”不在你的权限范围内", $"Customer \"{values.CustomerText}\" is outside your scope"));
                continue;
            }
            values.CustomerId = customerId;
            var same = people[customerId].FirstOrDefault(k => k.Name == values.Name
                || (values.Mobile is not null && k.Mobile == values.Mobile) || (values.Email is not null && k.Email == values.Email));
            if (same is null)
            {
                continue;
            }
            if (_mode == ImportMode.CreateOnly)
            {
                row.Problems.Add(new(NameHeader, ImportProblemKind.DuplicateInDatabase, $"客户 {customerNumber} 已有联系人 {same.Name}：要更新，请选择“新增，并更新客户已有的联系人”",
                    $"Customer {customerNumber} already has contact {same.Name}: choose \"add, and update the customer's known contacts\" to update it"));
                continue;
            }
            row.TargetId = same.Id;
        }
    }

    /// <summary>
    /// Writes a batch's checked rows on its transaction: new contacts added, known ones updated with the row's non-empty
    /// cells; each customer touched gets its search keys rebuilt and its stamp moved, and one event tells open pages.
    /// The audit interceptor records every contact added or changed, under the importer's name.
    /// </summary>
    public static async Task<(int Added, int Updated)> WriteAsync(CrmDbContext db, IReadOnlyList<ImportRow> rows, DateTime now, ICurrentUser user, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return (0, 0);
        }
        var ids = rows.Select(r => r.Contact!.CustomerId!.Value).Distinct().ToList();
        var customers = await db.Customers.Include(c => c.Contacts).Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var (added, updated) = (0, 0);
        foreach (var row in rows)
        {
            var values = row.Contact!;
            var customer = customers[values.CustomerId!.Value];
            if (row.TargetId is { } contactId && customer.Contacts.FirstOrDefault(k => k.Id == contactId) is { } known)
            {
                known.Name = values.Name;
                known.Title = values.Title ?? known.Title;
                known.Mobile = values.Mobile ?? known.Mobile;
                known.Landline = values.Landline ?? known.Landline;
                known.Email = values.Email ?? known.Email;
                known.IsKey |= values.IsKey;
                updated++;
            }
            else
            {
                // Added explicitly: a new contact's id is set when it is made, so found through the navigation it would pass for a stored one.
                var person = new Contact
                {
                    CustomerId = customer.Id,
                    Name = values.Name,
                    Title = values.Title,
                    Mobile = values.Mobile,
                    Landline = values.Landline,
                    Email = values.Email,
                    IsKey = values.IsKey,
                };
                db.Contacts.Add(person);
                customer.Contacts.Add(person);
                added++;
            }
        }
        foreach (var customer in customers.Values)
        {
            customer.UpdatedAt = now;
            db.Entry(customer).Property(c => c.UpdatedAt).IsModified = true; // changed even within the same instant: its version moves on
            await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, cancellationToken);
        }
        db.RecordLiveEvent(await CustomersChanged.OfAsync(db, ids, user.UserId, user.DisplayName, cancellationToken));
        return (added, updated);
    }
}
