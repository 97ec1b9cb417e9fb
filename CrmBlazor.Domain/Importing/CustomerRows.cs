using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using FuzzySharp;
using FuzzySharp.PreProcess;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Importing;

public enum ImportProblemKind
{
    Required,
    UnknownValue,
    InvalidFormat,
    DuplicateInFile,
    DuplicateInDatabase,
    NumberNotFound,
    OutOfScope,
}

/// <summary>Why one row cannot go in: the column, the kind (for counts), and the message in both languages.</summary>
public sealed record ImportProblem(string Column, ImportProblemKind Kind, string Zh, string En);

/// <summary>One data row of the workbook, read and checked.</summary>
public sealed class ImportRow
{
    /// <summary>The row as Excel numbers it (the header is row 1).</summary>
    public int RowNumber { get; init; }

    /// <summary>Counted from 0 over the data rows: batches are cut by it.</summary>
    public int Index { get; init; }

    /// <summary>The row's values in the order of <see cref="Headers"/> (the sheet's own header texts): a light copy, so the reader's row can go.</summary>
    public required object?[] Values { get; init; }

    public required IReadOnlyList<string> Headers { get; init; }

    /// <summary>The row as the user wrote it, by header (for the preview and the errors workbook).</summary>
    public IDictionary<string, object?> Cells => Headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => Values[x.i]);
    public string? Number { get; set; }

    /// <summary>The sheet's own number for the customer (<see cref="Customers.Customer.ExternalCode"/>).</summary>
    public string? ExternalCode { get; set; }

    /// <summary>A tier the sheet gives: imported as a manual override (reason "imported"), so evaluation keeps it.</summary>
    public string? Tier { get; set; }

    /// <summary>The sheet's last contact, in the company's time zone.</summary>
    public DateTime? LastContact { get; set; }

    public CustomerInput Customer { get; set; } = new();
    public string? Status { get; set; }
    public ContactInput KeyContact { get; set; } = new("");

    /// <summary>A lead import's row (<see cref="ImportKind.Leads"/>): the lead it creates.</summary>
    public Pipeline.LeadImportValues? Lead { get; set; }

    /// <summary>A contacts-only sheet's row (<see cref="ImportKind.Contacts"/>): the person and their customer.</summary>
    public ContactImportValues? Contact { get; set; }
    public string NameKey { get; set; } = "";

    /// <summary>What cleaning changed in this row (issue 17), one entry per cell changed; null when nothing.</summary>
    public List<ImportCleaningKind>? Cleanings { get; private set; }

    public void Cleaned(ImportCleaningKind kind) => (Cleanings ??= []).Add(kind);

    /// <summary>The customer this row updates (a number was given and found).</summary>
    public Guid? TargetId { get; set; }

    public List<ImportProblem> Problems { get; } = [];
    public bool IsValid => Problems.Count == 0;

    /// <summary>Data row <paramref name="index"/> (Excel's row <paramref name="rowNumber"/>), its cells kept in the order of <paramref name="headers"/>.</summary>
    public static ImportRow Of(IDictionary<string, object?> raw, string[] headers, int index, int rowNumber) => new()
    {
        Index = index,
        RowNumber = rowNumber,
        Values = headers.Select(h => raw.TryGetValue(h, out var v) ? v : null).ToArray(),
        Headers = headers,
    };

    public string Reasons(bool chinese) => string.Join(chinese ? "；" : "; ", Problems.Select(p => chinese ? p.Zh : p.En));
}

/// <summary>
/// Reads customer rows the way the import template (<see cref="CustomerTemplate"/>) writes them and checks
/// each one (SPEC H2): required fields, dictionary values by Chinese label, English label or code (near misses
/// get FuzzySharp suggestions), phones and e-mails (libphonenumber, <see cref="ContactRules"/>), custom
/// fields by type, and duplicates inside the file and, a chunk at a time, against the database — by number,
/// by name without its legal form (<see cref="CustomerSearch.NameKeyOf"/>), and by mobile.
/// </summary>
public sealed class CustomerRows : IImportRows
{
    public const string OwnerHeader = "负责人";
    public const string ExternalCodeHeader = "外部编号";
    public const string TierHeader = "客户等级";
    public const string LastContactHeader = "最后跟进时间";

    /// <summary>The reason a tier from a sheet is kept under.</summary>
    public static readonly string ImportedTierReason = SystemReasons.Of(SystemReasons.Imported);

    /// <summary>Whether a customer's tier is pinned by an import: the reason now, or the sentence imports stored before 2026-12-06.</summary>
    public static bool IsImportedTierReason(string? reason) => reason == ImportedTierReason || reason == "导入 / imported";
    public const int SuggestionScore = 60;

    private readonly ImportMode _mode;
    private readonly ICurrentUser _user;
    private readonly ILookup<DictionaryKind, DictionaryItem> _dictionaries;
    private readonly IReadOnlyList<CustomFieldDefinition> _fields;
    private readonly IReadOnlyDictionary<Guid, string> _fieldHeaders;
    private readonly IReadOnlyList<AppUser> _owners;
    private IReadOnlyList<ImportValueChoice> _tiers = [];
    private DateOnly _today = DateOnly.MaxValue;
    // The keys seen so far in the file, each with its first row.
    private readonly SeenKeys _codesSeen;
    private readonly SeenKeys _numbersSeen;
    private readonly SeenKeys _namesSeen;
    private readonly SeenKeys _mobilesSeen;
    private readonly Dictionary<(DictionaryKind, string), string> _codes = [];
    private Dictionary<string, string>? _headers;
    private string[]? _headerOrder;

    /// <summary>A row's cells by field key (the template's header), through the sheet's column mapping.</summary>
    private readonly record struct HeaderCells(IDictionary<string, object?> Raw, Dictionary<string, string> Headers)
    {
        public object? GetValueOrDefault(string header) => Headers.TryGetValue(header, out var key) && Raw.TryGetValue(key, out var value) ? value : null;

        public bool TryGetValue(string header, out object? value)
        {
            value = GetValueOrDefault(header);
            return Headers.ContainsKey(header);
        }
    }

    /// <summary>The columns stored as text, and the entity property whose length limit they must keep.</summary>
    private static readonly (string Header, Type Entity, string Property)[] TextColumns =
    [
        ("客户名称", typeof(Customer), nameof(Customer.Name)), ("城市", typeof(Customer), nameof(Customer.City)),
        ("区县", typeof(Customer), nameof(Customer.District)), ("街道地址", typeof(Customer), nameof(Customer.Street)),
        ("网站", typeof(Customer), nameof(Customer.Website)), ("合作历史", typeof(Customer), nameof(Customer.CooperationHistory)),
        ("备注", typeof(Customer), nameof(Customer.Notes)), ("关键联系人", typeof(Contact), nameof(Contact.Name)),
        ("职务", typeof(Contact), nameof(Contact.Title)), ("邮箱", typeof(Contact), nameof(Contact.Email)),
    ];

    private IReadOnlyList<(string Header, int Max)> _limits = [];
    private int _customTextLimit = int.MaxValue;

    private CustomerRows(ImportMode mode, ICurrentUser user, IEnumerable<DictionaryItem> dictionaries, IReadOnlyList<CustomFieldDefinition> fields, IReadOnlyList<AppUser> owners,
        int sheetRows)
    {
        (_codesSeen, _numbersSeen, _namesSeen, _mobilesSeen) = (new(sheetRows), new(sheetRows), new(sheetRows), new(sheetRows));
        _mode = mode;
        _user = user;
        _dictionaries = dictionaries.ToLookup(d => d.Kind);
        _fields = fields;
        _fieldHeaders = CustomerTemplate.CustomFieldHeaders(fields);
        _owners = owners;
    }

    /// <param name="today">The company's date: a last contact after it is a row problem.</param>
    /// <param name="sheetRows">The rows the sheet runs to: no key column holds more values.</param>
    public static async Task<CustomerRows> LoadAsync(CrmDbContext db, ImportMode mode, ICurrentUser user, DateOnly today, int sheetRows, CancellationToken cancellationToken)
    {
        var tiers = await db.TierRules.AsNoTracking().OrderBy(r => r.Order).ToListAsync(cancellationToken);
        var dictionaries = await db.DictionaryItems.AsNoTracking().Where(d => d.IsActive).OrderBy(d => d.Order).ToListAsync(cancellationToken);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.IsActive).OrderBy(f => f.Order).ToListAsync(cancellationToken);
        // Whom a row may name as owner: the one owner-assignment rule.
        var owners = await OwnerAssignment.AssignableAsync(db, user, cancellationToken);
        return new CustomerRows(mode, user, dictionaries, fields, owners, sheetRows)
        {
            _tiers = (tiers.Count > 0 ? tiers : Tiering.TierRule.Defaults()).Select(r => new ImportValueChoice(r.Tier, r.Name, r.Tier)).ToList(),
            _today = today,
            // The model's column sizes: a value PostgreSQL or SQL Server would refuse is a row problem, not a failed batch.
            _limits = TextColumns.Select(c => (c.Header, db.Model.FindEntityType(c.Entity)!.FindProperty(c.Property)!.GetMaxLength() ?? int.MaxValue)).ToList(),
            _customTextLimit = db.Model.FindEntityType(typeof(CustomFieldValue))!.FindProperty(nameof(CustomFieldValue.Text))!.GetMaxLength() ?? int.MaxValue,
        };
    }

    /// <summary>The template's columns in both languages, with the headings teams use for them in their own sheets (issue 17).</summary>
    private static readonly Dictionary<string, (string En, string[] Synonyms)> Known = new()
    {
        ["客户编号"] = ("Customer number", ["编号", "客户号", "客户代码", "客户ID", "Customer No", "Number"]),
        ["客户名称"] = ("Customer name", ["公司名称", "单位名称", "企业名称", "公司", "客户", "客户全称", "公司全称", "Company", "Company name", "Customer", "Name"]),
        ["行业"] = ("Industry", ["所属行业", "行业类别", "行业分类", "行业类型"]),
        ["规模"] = ("Size", ["客户规模", "公司规模", "企业规模", "员工人数", "人员规模", "Company size", "Employees"]),
        ["状态"] = ("Status", ["客户状态", "Customer status"]),
        ["省份"] = ("Province", ["省", "所在省份", "省/直辖市", "所在地区", "地区", "区域", "Region"]),
        ["城市"] = ("City", ["市", "所在城市", "城市名称"]),
        ["区县"] = ("District", ["区", "县", "区/县", "所在区县"]),
        ["街道地址"] = ("Street address", ["地址", "详细地址", "通讯地址", "公司地址", "办公地址", "Address", "Street"]),
        ["网站"] = ("Website", ["官网", "网址", "公司网站", "主页", "Web", "URL", "Homepage"]),
        ["合作历史"] = ("Cooperation history", ["合作情况", "历史合作", "合作记录", "History"]),
        ["备注"] = ("Notes", ["说明", "备注信息", "其他", "Note", "Remark", "Remarks", "Comment", "Comments"]),
        ["关键联系人"] = ("Key contact", ["联系人", "主要联系人", "对接人", "联系人姓名", "Contact", "Contact name"]),
        ["职务"] = ("Title", ["职位", "岗位", "联系人职务", "联系人职位", "Position", "Job title"]),
        // A phone heading that does not say which: the mobile, else the landline; each value still goes where its shape says.
        ["手机"] = ("Mobile", ["手机号", "手机号码", "移动电话", "联系电话", "电话", "联系方式", "电话号码", "Phone", "Cell", "Mobile phone"]),
        ["座机"] = ("Landline", ["固话", "固定电话", "办公电话", "座机号码", "联系电话", "电话", "电话号码", "Phone", "Tel", "Office phone"]),
        ["邮箱"] = ("E-mail", ["电子邮箱", "邮件", "电子邮件", "邮箱地址", "Email", "Mail", "E-mail address"]),
        [OwnerHeader] = ("Owner", ["客户负责人", "归属销售", "销售", "销售代表", "跟进人", "业务员", "客户经理", "Sales rep", "Account manager"]),
        [ExternalCodeHeader] = ("External code", ["原编号", "原客户编号", "旧编号", "原系统编号", "外部编码", "Legacy ID", "Legacy number", "External ID", "Old number"]),
        [TierHeader] = ("Tier", ["等级", "级别", "客户级别", "客户分级", "分级", "客户类别", "Grade", "Level", "Customer tier", "Customer level"]),
        [LastContactHeader] = ("Last contact", ["最近联系时间", "最后联系时间", "最近跟进时间", "最后跟进日期", "上次联系时间", "上次跟进时间", "最近跟进", "Last contacted", "Last contact date", "Last follow-up"]),
    };

    /// <summary>The fields a sheet may fill that the template leaves out: the owner, the sheet's own number, a tier, the last contact.</summary>
    private static readonly string[] ExtraTargets = [OwnerHeader, ExternalCodeHeader, TierHeader, LastContactHeader];

    /// <summary>The fields a column may fill: the template's columns, the owner, and the active custom fields (required ones only for new customers).</summary>
    public IReadOnlyList<ImportTarget> Targets => _targets ??= CustomerTemplate.FixedColumns.Select(c => c.Header).Concat(ExtraTargets)
        .Select(h => new ImportTarget(h, h, Known[h].En, CustomerTemplate.FixedColumns.Any(c => c.Header == h && c.Required), Known[h].Synonyms))
        .Concat(_fields.Select(f => new ImportTarget(_fieldHeaders[f.Id], f.LabelZh, f.LabelEn, f.IsRequired && _mode == ImportMode.CreateOnly, [])))
        .ToList();

    private IReadOnlyList<ImportTarget>? _targets;
    private IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _valueMap = new Dictionary<string, IReadOnlyDictionary<string, string>>();
    private readonly Dictionary<string, (ImportValueColumn Column, IReadOnlyList<DictionaryItem> Items)> _valueColumns = [];

    public ImportValueTally Values { get; } = new();

    public void UseValues(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> map) => _valueMap = map;

    public void UseColumns(IReadOnlyDictionary<string, string> map)
    {
        _headers = map.ToDictionary(m => m.Value, m => m.Key, StringComparer.Ordinal);
        _headerOrder = null;
    }

    /// <summary>Reads one row and checks what the row alone can tell, plus duplicates of earlier rows of the file.</summary>
    public ImportRow Read(IDictionary<string, object?> raw, int index, int rowNumber)
    {
        var headers = _headers ?? throw new InvalidOperationException("UseColumns comes before the first row.");
        _headerOrder ??= raw.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).ToArray(); // every row of a sheet has the same keys
        var cells = new HeaderCells(raw, headers);
        var row = ImportRow.Of(raw, _headerOrder!, index, rowNumber);
        string? Text(string header) => cells.TryGetValue(header, out var value) ? CellText(value) : null;
        foreach (var value in raw.Values)
        {
            if (value is string s && ImportCleaning.ChangesWidth(s))
            {
                row.Cleaned(ImportCleaningKind.HalfWidth);
            }
        }

        row.Number = Text("客户编号");
        row.ExternalCode = Text(ExternalCodeHeader);
        if (row.Number is not null && CustomerNumbers.OrderOf(row.Number) == CustomerNumbers.Unordered && row.ExternalCode is null)
        {
            // Not one of ours (C001): the team's own number, kept so the sheet imported again updates these customers.
            (row.ExternalCode, row.Number) = (row.Number, null);
            row.Cleaned(ImportCleaningKind.LegacyNumberKept);
        }
        if (row.ExternalCode is { Length: > 64 })
        {
            row.Problems.Add(new(ExternalCodeHeader, ImportProblemKind.InvalidFormat, "外部编号超过 64 个字符", "The external code is longer than 64 characters"));
        }
        var name = Text("客户名称");
        var updating = row.Number is not null && _mode == ImportMode.CreateOrUpdate;
        if (name is null && !updating)
        {
            row.Problems.Add(new("客户名称", ImportProblemKind.Required, "缺少客户名称", "The customer name is missing"));
        }
        var contactName = Text("关键联系人");
        if (contactName is null && !updating)
        {
            row.Problems.Add(new("关键联系人", ImportProblemKind.Required, "缺少关键联系人", "The key contact is missing"));
        }

        foreach (var (header, max) in _limits)
        {
            if (Text(header) is { } value && value.Length > (header == "网站" && !value.Contains("://", StringComparison.Ordinal) ? max - 8 : max))
            {
                row.Problems.Add(new(header, ImportProblemKind.InvalidFormat, $"{header}超过 {max} 个字符", $"{header} is longer than {max} characters"));
            }
        }

        var website = Text("网站");
        if (website is not null && !CustomerService.IsWebsite(website))
        {
            row.Problems.Add(new("网站", ImportProblemKind.InvalidFormat, $"网站“{website}”不是网址", $"Website \"{website}\" is not a web address"));
        }

        var (mobile, landline, email) = ReadReachability(row, Text("手机"), Text("座机"), Text("邮箱"));

        Guid? ownerId = null;
        if (Text(OwnerHeader) is { } ownerName)
        {
            var owner = _owners.Where(u => u.DisplayName == ownerName).ToList();
            if (owner.Count == 1)
            {
                ownerId = owner[0].Id;
            }
            else
            {
                row.Problems.Add(new(OwnerHeader, ImportProblemKind.UnknownValue,
                    owner.Count == 0 ? $"负责人“{ownerName}”不是你可以指派的用户" : $"负责人“{ownerName}”有重名，请在系统中指派",
                    owner.Count == 0 ? $"Owner \"{ownerName}\" is not a user you may assign" : $"Owner \"{ownerName}\" is ambiguous: assign in the app"));
            }
        }

        row.Customer = new CustomerInput
        {
            Name = name ?? "",
            Industry = Code(row, "行业", DictionaryKind.Industry, Text("行业")),
            Size = Code(row, "规模", DictionaryKind.CompanySize, Text("规模")),
            Province = Code(row, "省份", DictionaryKind.Region, Text("省份")),
            City = Text("城市"),
            District = Text("区县"),
            Street = Text("街道地址"),
            Website = website,
            CooperationHistory = Text("合作历史"),
            Notes = Text("备注"),
            OwnerId = ownerId,
            CustomValues = CustomValues(row, cells, updating),
        };
        row.Status = Code(row, "状态", DictionaryKind.CustomerStatus, Text("状态"));
        row.Tier = Tier(row, Text(TierHeader));
        row.LastContact = LastContact(row, cells.GetValueOrDefault(LastContactHeader));
        row.KeyContact = new ContactInput(contactName ?? "", Text("职务"), mobile, landline, email, IsKey: true);
        row.NameKey = name is null ? "" : CustomerSearch.NameKeyOf(name);

        SeenBefore(row, _numbersSeen, row.Number?.ToUpperInvariant(), "客户编号", "客户编号");
        SeenBefore(row, _codesSeen, row.ExternalCode, ExternalCodeHeader, "外部编号");
        SeenBefore(row, _namesSeen, row.NameKey.Length > 0 ? row.NameKey : null, "客户名称", "客户名称");
        SeenBefore(row, _mobilesSeen, mobile, "手机", "手机");
        return row;
    }

    /// <summary>
    /// Checks a chunk of rows against the database in a few set queries: numbers (and the aliases of merged
    /// customers) to find what a row updates, name keys and mobiles to find what a new row would duplicate. Each list of a
    /// batch's values goes as one parameter (<see cref="EF.Parameter{T}"/>): EF's default, a parameter per value, made
    /// each batch's statement a new one of up to a thousand parameters to prepare and bind, about 6 ms a batch against 1.
    /// </summary>
    public async Task CheckAgainstDatabaseAsync(CrmDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var numbers = rows.Where(r => r.Number is not null).Select(r => r.Number!).Distinct().ToList();
        var byNumber = numbers.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => EF.Parameter(numbers).Contains(c.Number))
            .Select(c => new { c.Number, c.Id }).ToDictionaryAsync(c => c.Number, c => c.Id, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var unknown = numbers.Where(n => !byNumber.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            foreach (var alias in await db.CustomerAliases.AsNoTracking().Where(a => EF.Parameter(unknown).Contains(a.Number)).ToListAsync(cancellationToken))
            {
                byNumber[alias.Number] = alias.CustomerId;
            }
        }
        var codes = rows.Where(r => r.Number is null && r.ExternalCode is not null).Select(r => r.ExternalCode!).Distinct().ToList();
        var byCode = codes.Count == 0 ? [] : await db.Customers.AsNoTracking().Where(c => c.ExternalCode != null && EF.Parameter(codes).Contains(c.ExternalCode))
            .Select(c => new { c.ExternalCode, c.Id, c.Number }).ToDictionaryAsync(c => c.ExternalCode!, c => (c.Id, c.Number), StringComparer.Ordinal, cancellationToken);
        var found = byNumber.Values.Concat(byCode.Values.Select(c => c.Id)).Distinct().ToList();
        var visible = found.Count == 0 ? [] : (await db.Customers.AsNoTracking().VisibleTo(_user).Where(c => found.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken)).ToHashSet();

        var keys = rows.Where(r => r.NameKey.Length > 0).Select(r => r.NameKey).Distinct().ToList();
        var mobiles = rows.Select(r => r.KeyContact.Mobile).OfType<string>().Distinct().ToList();
        var holders = await db.CustomerSearchTokens.AsNoTracking()
            .Where(t => (t.Kind == CustomerSearchToken.NameKey && EF.Parameter(keys).Contains(t.Token)) || (t.Kind == CustomerSearchToken.Prefix && EF.Parameter(mobiles).Contains(t.Token)))
            .Select(t => new { t.Kind, t.Token, t.CustomerId }).ToListAsync(cancellationToken);
        var holderIds = holders.Select(h => h.CustomerId).Distinct().ToList();
        // Numbers are named only for customers the user may see: a duplicate outside their scope says so, no more.
        var holderNumbers = holderIds.Count == 0 ? [] : await db.Customers.AsNoTracking().VisibleTo(_user).Where(c => holderIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Number, cancellationToken);
        string Named(Guid id) => holderNumbers.GetValueOrDefault(id) ?? "（不在你的权限范围内）";
        string NamedEn(Guid id) => holderNumbers.GetValueOrDefault(id) ?? "(outside your scope)";
        var targeted = new Dictionary<Guid, int>();
        var byKey = holders.Where(h => h.Kind == CustomerSearchToken.NameKey).ToLookup(h => h.Token, h => h.CustomerId);
        var byMobile = holders.Where(h => h.Kind == CustomerSearchToken.Prefix).ToLookup(h => h.Token, h => h.CustomerId);

        foreach (var row in rows.Where(r => r.IsValid))
        {
            if (row.Number is null && row.ExternalCode is { } code && byCode.TryGetValue(code, out var imported))
            {
                // The sheet imported before: this row is that customer again.
                if (_mode == ImportMode.CreateOnly)
                {
                    row.Problems.Add(new(ExternalCodeHeader, ImportProblemKind.DuplicateInDatabase,
                        $"外部编号 {code} 已导入为客户 {(visible.Contains(imported.Id) ? imported.Number : "（不在你的权限范围内）")}：要更新它，请选择“新建并按编号更新”",
                        $"External code {code} was imported before as customer {(visible.Contains(imported.Id) ? imported.Number : "(outside your scope)")}: choose \"create and update by number\" to update it"));
                    continue;
                }
                if (!visible.Contains(imported.Id))
                {
                    row.Problems.Add(new(ExternalCodeHeader, ImportProblemKind.OutOfScope, $"外部编号 {code} 的客户不在你的权限范围内", $"The customer with external code {code} is outside your scope"));
                    continue;
                }
                if (targeted.TryGetValue(imported.Id, out var before))
                {
                    row.Problems.Add(new(ExternalCodeHeader, ImportProblemKind.DuplicateInFile, $"与第 {before} 行更新的是同一个客户", $"Updates the same customer as row {before}"));
                    continue;
                }
                targeted[imported.Id] = row.RowNumber;
                row.TargetId = imported.Id;
            }
            if (row.Number is { } number)
            {
                if (!byNumber.TryGetValue(number, out var id))
                {
                    row.Problems.Add(_mode == ImportMode.CreateOnly
                        ? new("客户编号", ImportProblemKind.NumberNotFound, $"客户编号 {number} 不存在：新客户请留空编号", $"Customer number {number} does not exist: leave the number blank for a new customer")
                        : new("客户编号", ImportProblemKind.NumberNotFound, $"客户编号 {number} 不存在，无法更新", $"Customer number {number} does not exist, so it cannot be updated"));
                    continue;
                }
                if (_mode == ImportMode.CreateOnly)
                {
                    row.Problems.Add(new("客户编号", ImportProblemKind.DuplicateInDatabase, $"客户 {number} 已存在：要更新它，请选择“新建并按编号更新”", $"Customer {number} exists already: choose \"create and update by number\" to update it"));
                    continue;
                }
                if (!visible.Contains(id))
                {
                    row.Problems.Add(new("客户编号", ImportProblemKind.OutOfScope, $"客户 {number} 不在你的权限范围内", $"Customer {number} is outside your scope"));
                    continue;
                }
                if (targeted.TryGetValue(id, out var earlier))
                {
                    // Two rows of one batch (say, a merged customer's old number and its survivor's) update one customer.
                    row.Problems.Add(new("客户编号", ImportProblemKind.DuplicateInFile, $"与第 {earlier} 行更新的是同一个客户", $"Updates the same customer as row {earlier}"));
                    continue;
                }
                targeted[id] = row.RowNumber;
                row.TargetId = id;
            }
            var sameName = byKey[row.NameKey].FirstOrDefault(id => id != row.TargetId);
            if (sameName != Guid.Empty)
            {
                row.Problems.Add(new("客户名称", ImportProblemKind.DuplicateInDatabase, $"已有同名客户 {Named(sameName)}", $"Customer {NamedEn(sameName)} has the same name"));
            }
            var sameMobile = row.KeyContact.Mobile is { } m ? byMobile[m].FirstOrDefault(id => id != row.TargetId) : Guid.Empty;
            if (sameMobile != Guid.Empty)
            {
                row.Problems.Add(new("手机", ImportProblemKind.DuplicateInDatabase, $"手机 {row.KeyContact.Mobile} 已属于客户 {Named(sameMobile)}", $"Mobile {row.KeyContact.Mobile} belongs to customer {NamedEn(sameMobile)}"));
            }
        }
    }

    /// <summary>A cell as trimmed text: full-width letters and digits half-width (<see cref="ImportCleaning.Text"/>), whole
    /// numbers without ".0" (a mobile typed as a number), dates as yyyy-MM-dd.</summary>
    /// <summary>
    /// A person's 手机, 座机 and 邮箱 cells as stored: a landline typed as the mobile moved to 座机, phones in the CRM's writing
    /// (each cleaning noted on the row), and each value that is none of these a row problem.
    /// </summary>
    public static (string? Mobile, string? Landline, string? Email) ReadReachability(ImportRow row, string? mobileText, string? landlineText, string? emailText)
    {
        var errors = new List<ValidationError>();
        var phones = ImportCleaning.SortPhones(mobileText, landlineText);
        var mobile = ContactRules.NormalizeMobile(phones.Mobile, "手机", errors);
        var landline = ContactRules.NormalizeLandline(phones.Landline, "座机", errors);
        if (phones.LandlineMoved)
        {
            row.Cleaned(ImportCleaningKind.LandlineMoved);
        }
        foreach (var (kept, written) in new[] { (mobile, phones.Mobile), (landline, phones.Landline) })
        {
            if (kept is not null && kept != written)
            {
                row.Cleaned(ImportCleaningKind.PhoneReformatted);
            }
        }
        var email = ContactRules.NormalizeEmail(emailText, "邮箱", errors);
        foreach (var error in errors)
        {
            var value = error.Arguments.FirstOrDefault()?.ToString() ?? "";
            row.Problems.Add(error.Field switch
            {
                "手机" => new("手机", ImportProblemKind.InvalidFormat, $"手机“{value}”不是有效的手机号（11 位、13–19 开头，或 +国家码）", $"Mobile \"{value}\" is not a valid mobile number"),
                "座机" => new("座机", ImportProblemKind.InvalidFormat, $"座机“{value}”不是有效的电话号码", $"Landline \"{value}\" is not a valid phone number"),
                _ => new("邮箱", ImportProblemKind.InvalidFormat, $"邮箱“{value}”格式不正确", $"E-mail \"{value}\" is not a valid address"),
            });
        }
        return (mobile, landline, email);
    }

    public static string? CellText(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => ImportCleaning.Text(s),
            double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => d.ToString("0", CultureInfo.InvariantCulture),
            double d => d.ToString(CultureInfo.InvariantCulture),
            DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            bool b => b ? "是" : "否",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>"客户名称*" and "客户名称" are the same column.</summary>
    internal static string Bare(string header) => header.Trim().TrimEnd('*', '＊').Trim();

    private static void SeenBefore(ImportRow row, SeenKeys seen, string? text, string column, string what)
    {
        if (text is not null && seen.FirstRow(text, row.RowNumber) is { } first)
        {
            row.Problems.Add(new(column, ImportProblemKind.DuplicateInFile, $"{what}与第 {first} 行重复", $"{column} repeats row {first}"));
        }
    }

    /// <summary>The code of a dictionary value given as its Chinese label, English label or code; a problem with suggestions otherwise.</summary>
    private string? Code(ImportRow row, string column, DictionaryKind kind, string? value)
    {
        if (!_valueColumns.TryGetValue(column, out var coded))
        {
            var items = _dictionaries[kind].ToList();
            _valueColumns[column] = coded = (DictionaryCells.Column(column, column, Known[column].En, kind, items), items);
        }
        return DictionaryCells.Code(row, coded.Column, coded.Items, value, _codes, _valueMap, Values);
    }

    /// <summary>The two labels nearest to <paramref name="value"/> in either language (FuzzySharp, no ASCII-only preprocessing).</summary>
    public static IReadOnlyList<DictionaryItem> Suggest(string value, IEnumerable<DictionaryItem> items) => items
        .Select(d => (Item: d, Score: Math.Max(Fuzz.WeightedRatio(value, d.LabelZh, PreprocessMode.None), Fuzz.WeightedRatio(value.ToLowerInvariant(), d.LabelEn.ToLowerInvariant(), PreprocessMode.None))))
        .Where(s => s.Score >= SuggestionScore)
        .OrderByDescending(s => s.Score).ThenBy(s => s.Item.Order)
        .Take(2).Select(s => s.Item).ToList();

    private List<CustomValue> CustomValues(ImportRow row, HeaderCells cells, bool updating)
    {
        var values = new List<CustomValue>();
        foreach (var field in _fields)
        {
            var header = _fieldHeaders[field.Id];
            var raw = cells.GetValueOrDefault(header);
            var text = CellText(raw);
            if (text is null)
            {
                if (field.IsRequired && !updating)
                {
                    row.Problems.Add(new(header, ImportProblemKind.Required, $"缺少{header}", $"{field.LabelEn} is missing"));
                }
                continue;
            }
            CustomValue? value = field.Type switch
            {
                CustomFieldType.Number => raw is double d ? new CustomValue(field.Id, Number: (decimal)d)
                    : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? new CustomValue(field.Id, Number: n) : null,
                CustomFieldType.Date => ImportCleaning.TryDate(raw, out var date) ? DateValue(row, field, raw, date) : null,
                CustomFieldType.YesNo => text switch
                {
                    "是" or "Yes" or "yes" or "true" or "TRUE" or "1" or "Y" or "y" => new CustomValue(field.Id, YesNo: true),
                    "否" or "No" or "no" or "false" or "FALSE" or "0" or "N" or "n" => new CustomValue(field.Id, YesNo: false),
                    _ => null,
                },
                CustomFieldType.SingleSelect => SingleSelect(row, field, header, text),
                CustomFieldType.MultiSelect => MultiSelect(field, text),
                _ => text.Length <= _customTextLimit ? new CustomValue(field.Id, Text: text) : null,
            };
            if (value is null)
            {
                var expected = field.Type switch
                {
                    CustomFieldType.Number => ("一个数字", "a number"),
                    CustomFieldType.Date => ("日期（如 2026-01-31）", "a date (such as 2026-01-31)"),
                    CustomFieldType.YesNo => ("“是”或“否”", "Yes or No"),
                    CustomFieldType.Text => ($"不超过 {_customTextLimit} 个字符的文字", $"text of at most {_customTextLimit} characters"),
                    _ => (string.Join("、", field.OptionList), string.Join(", ", field.OptionList)),
                };
                row.Problems.Add(new(header, ImportProblemKind.InvalidFormat, $"{header}“{text}”无效，应为{expected.Item1}", $"{field.LabelEn} \"{text}\" is not valid: expected {expected.Item2}"));
                continue;
            }
            values.Add(value);
        }
        return values;
    }

    /// <summary>A tier the sheet gives: a tier rule's letter ("S", "s级", "A类") or name (战略客户), or what the user mapped the value to.</summary>
    private string? Tier(ImportRow row, string? text)
    {
        if (text is null)
        {
            return null;
        }
        var bare = text.TrimEnd('级', '类').Trim();
        if (_tiers.FirstOrDefault(t => string.Equals(t.Code, bare, StringComparison.OrdinalIgnoreCase) || t.Zh == text) is { } tier)
        {
            return tier.Code;
        }
        if (_valueMap.TryGetValue(TierHeader, out var chosen) && chosen.TryGetValue(text, out var mapped) && _tiers.Any(t => t.Code == mapped))
        {
            row.Cleaned(ImportCleaningKind.ValueMapped);
            return mapped;
        }
        Values.Unknown(new ImportValueColumn(TierHeader, TierHeader, Known[TierHeader].En, null, _tiers), text, []);
        row.Problems.Add(new(TierHeader, ImportProblemKind.UnknownValue, $"客户等级“{text}”不存在：可选 {string.Join("、", _tiers.Select(t => $"{t.Code}（{t.Zh}）"))}",
            $"Tier \"{text}\" does not exist: choose {string.Join(", ", _tiers.Select(t => t.Code))}"));
        return null;
    }

    /// <summary>The last contact a sheet gives: a date (any writing <see cref="ImportCleaning.TryDate"/> reads), not after today.</summary>
    private DateTime? LastContact(ImportRow row, object? raw)
    {
        if (CellText(raw) is not { } text)
        {
            return null;
        }
        if (!ImportCleaning.TryDate(raw, out var date))
        {
            row.Problems.Add(new(LastContactHeader, ImportProblemKind.InvalidFormat, $"最后跟进时间“{text}”不是日期（如 2024-01-05）", $"Last contact \"{text}\" is not a date (such as 2024-01-05)"));
            return null;
        }
        if (DateOnly.FromDateTime(date) > _today)
        {
            row.Problems.Add(new(LastContactHeader, ImportProblemKind.InvalidFormat, $"最后跟进时间 {text} 晚于今天", $"Last contact {text} is after today"));
            return null;
        }
        if (raw is not DateTime)
        {
            row.Cleaned(ImportCleaningKind.DateRead);
        }
        return DateTime.SpecifyKind(date, DateTimeKind.Unspecified);
    }

    private static CustomValue DateValue(ImportRow row, CustomFieldDefinition field, object? raw, DateTime date)
    {
        if (raw is not DateTime)
        {
            row.Cleaned(ImportCleaningKind.DateRead);
        }
        return new CustomValue(field.Id, Date: date.Date);
    }

    /// <summary>A select's option by its text, or the one the user mapped the text to; an unknown text is counted for the value-mapping step.</summary>
    private CustomValue? SingleSelect(ImportRow row, CustomFieldDefinition field, string header, string text)
    {
        if (field.OptionList.FirstOrDefault(o => string.Equals(o, text, StringComparison.OrdinalIgnoreCase)) is { } option)
        {
            return new CustomValue(field.Id, Text: option);
        }
        if (_valueMap.TryGetValue(header, out var chosen) && chosen.TryGetValue(text, out var mapped) && field.OptionList.Contains(mapped))
        {
            row.Cleaned(ImportCleaningKind.ValueMapped);
            return new CustomValue(field.Id, Text: mapped);
        }
        Values.Unknown(new ImportValueColumn(header, field.LabelZh, field.LabelEn, null, field.OptionList.Select(o => new ImportValueChoice(o, o, o)).ToList()), text, []);
        return null;
    }

    private static CustomValue? MultiSelect(CustomFieldDefinition field, string text)
    {
        var given = text.Split(['、', ',', '，', ';', '；', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var chosen = given.Select(g => field.OptionList.FirstOrDefault(o => string.Equals(o, g, StringComparison.OrdinalIgnoreCase))).ToList();
        return chosen.Any(c => c is null) ? null : new CustomValue(field.Id, Choices: chosen.OfType<string>().ToList());
    }
}
