using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Importing;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>What one checked row of a lead import creates: the lead form's fields, and its owner or pool.</summary>
public sealed record LeadImportValues(string Company, string ContactName, string? Mobile, string? Email, string? Source, string? Region, string? Notes,
    Guid? OwnerId, Guid? TeamId);

/// <summary>One column of the lead workbook: its header in both languages (either is read), and whether a row needs it.</summary>
public sealed record LeadColumn(string Zh, string En, bool Required = false, DictionaryKind? Dictionary = null);

/// <summary>
/// Reads lead rows the way <see cref="LeadTemplate"/> writes them (headers in Chinese or English) and checks each one with
/// the lead form's rules (SPEC F1): company and contact required, a mobile or an e-mail, both in the formats contacts use
/// (<see cref="ContactRules"/>); LeadSource and Region by label or code, confirmed through <see cref="DictionaryChoices"/>;
/// an owner the importer may assign (<see cref="OwnerAssignment"/>) who may own leads; a team pool the importer belongs to.
/// Duplicates: a mobile or e-mail repeating an earlier row of the file, or held by a lead already stored.
/// </summary>
public sealed class LeadRows : IImportRows
{
    public static readonly LeadColumn Source = new("线索来源", "Source", Dictionary: DictionaryKind.LeadSource);
    public static readonly LeadColumn Company = new("公司名称", "Company", Required: true);
    public static readonly LeadColumn Contact = new("联系人", "Contact", Required: true);
    public static readonly LeadColumn Mobile = new("手机", "Mobile");
    public static readonly LeadColumn Email = new("邮箱", "E-mail");
    public static readonly LeadColumn Region = new("地区", "Region", Dictionary: DictionaryKind.Region);
    public static readonly LeadColumn Notes = new("备注", "Notes");
    public static readonly LeadColumn Owner = new("负责人", "Owner");
    public static readonly LeadColumn Pool = new("团队线索池", "Team pool");

    public static IReadOnlyList<LeadColumn> Columns { get; } = [Source, Company, Contact, Mobile, Email, Region, Notes, Owner, Pool];

    private readonly ICurrentUser _user;
    private readonly ILookup<DictionaryKind, DictionaryItem> _dictionaries;
    private readonly IReadOnlyList<AppUser> _owners;
    private readonly IReadOnlyList<Team> _teams;
    private readonly IReadOnlyDictionary<string, int> _limits;
    private readonly Dictionary<(DictionaryKind, string), string> _codes = [];
    private readonly SeenKeys _mobilesSeen;
    private readonly SeenKeys _emailsSeen;
    private static readonly Dictionary<string, LeadColumn> ByZh = Columns.ToDictionary(c => c.Zh, StringComparer.Ordinal);
    private Dictionary<LeadColumn, string>? _keys;
    private string[]? _headerOrder;

    private LeadRows(ICurrentUser user, IEnumerable<DictionaryItem> dictionaries, IReadOnlyList<AppUser> owners, IReadOnlyList<Team> teams, IReadOnlyDictionary<string, int> limits,
        int sheetRows)
    {
        (_mobilesSeen, _emailsSeen) = (new(sheetRows), new(sheetRows));
        _user = user;
        _dictionaries = dictionaries.ToLookup(d => d.Kind);
        _source = Coded(Source, _dictionaries);
        _region = Coded(Region, _dictionaries);
        _owners = owners;
        _teams = teams;
        _limits = limits;
    }

    /// <param name="sheetRows">The rows the sheet runs to: no key column holds more values.</param>
    public static async Task<LeadRows> LoadAsync(CrmDbContext db, ICurrentUser user, int sheetRows, CancellationToken cancellationToken)
    {
        var dictionaries = await db.DictionaryItems.AsNoTracking()
            .Where(d => d.IsActive && (d.Kind == DictionaryKind.LeadSource || d.Kind == DictionaryKind.Region)).OrderBy(d => d.Order).ToListAsync(cancellationToken);
        // Whom a row may name as owner: someone the importer may assign (the one owner rule) who may own leads at all.
        var owners = (await OwnerAssignment.AssignableAsync(db, user, cancellationToken)).Where(OwnerAssignment.MayOwnCustomers).ToList();
        // Which pools: an Admin's any team's, everyone else's their own teams' (as the lead form allows).
        var teams = user.IsSystem || user.IsIn(Role.Admin)
            ? await db.Teams.AsNoTracking().ToListAsync(cancellationToken)
            : await db.Teams.AsNoTracking().Where(t => t.Members.Any(m => m.UserId == user.UserId)).ToListAsync(cancellationToken);
        var lead = db.Model.FindEntityType(typeof(Lead))!;
        var limits = new Dictionary<string, int>
        {
            [Company.Zh] = lead.FindProperty(nameof(Lead.Company))!.GetMaxLength() ?? int.MaxValue,
            [Contact.Zh] = lead.FindProperty(nameof(Lead.ContactName))!.GetMaxLength() ?? int.MaxValue,
            [Email.Zh] = lead.FindProperty(nameof(Lead.Email))!.GetMaxLength() ?? int.MaxValue,
            [Notes.Zh] = lead.FindProperty(nameof(Lead.Notes))!.GetMaxLength() ?? int.MaxValue,
        };
        return new LeadRows(user, dictionaries, owners, teams, limits, sheetRows);
    }

    /// <summary>Headings a team's own lead sheet uses for each column (issue 17).</summary>
    private static readonly Dictionary<LeadColumn, string[]> Synonyms = new()
    {
        [Source] = ["来源", "渠道", "获客渠道", "Lead source", "Channel"],
        [Company] = ["客户名称", "单位名称", "企业名称", "公司", "Company name", "Organisation", "Organization"],
        [Contact] = ["联系人姓名", "姓名", "对接人", "Contact name", "Name"],
        [Mobile] = ["手机号", "手机号码", "联系电话", "电话", "联系方式", "Phone", "Mobile phone"],
        [Email] = ["电子邮箱", "邮件", "电子邮件", "Email", "Mail"],
        [Region] = ["省份", "所在地区", "区域", "Province"],
        [Notes] = ["说明", "备注信息", "Remark", "Remarks", "Comment"],
        [Owner] = ["跟进人", "销售", "业务员", "Sales rep"],
        [Pool] = ["线索池", "团队", "Pool", "Team"],
    };

    public IReadOnlyList<ImportTarget> Targets { get; } = Columns.Select(c => new ImportTarget(c.Zh, c.Zh, c.En, c.Required, Synonyms[c])).ToList();

    private IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _valueMap = new Dictionary<string, IReadOnlyDictionary<string, string>>();
    private (ImportValueColumn Column, IReadOnlyList<DictionaryItem> Items) _source;
    private (ImportValueColumn Column, IReadOnlyList<DictionaryItem> Items) _region;

    public ImportValueTally Values { get; } = new();

    public void UseValues(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> map) => _valueMap = map;

    private static (ImportValueColumn, IReadOnlyList<DictionaryItem>) Coded(LeadColumn column, ILookup<DictionaryKind, DictionaryItem> dictionaries)
    {
        var items = dictionaries[column.Dictionary!.Value].ToList();
        return (DictionaryCells.Column(column.Zh, column.Zh, column.En, column.Dictionary.Value, items), items);
    }

    public void UseColumns(IReadOnlyDictionary<string, string> map)
    {
        _keys = map.Where(m => ByZh.ContainsKey(m.Value)).ToDictionary(m => ByZh[m.Value], m => m.Key);
        _headerOrder = null;
    }

    public ImportRow Read(IDictionary<string, object?> raw, int index, int rowNumber)
    {
        var keys = _keys ?? throw new InvalidOperationException("UseColumns comes before the first row.");
        _headerOrder ??= raw.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).ToArray();
        var row = ImportRow.Of(raw, _headerOrder, index, rowNumber);
        string? Text(LeadColumn column) => keys.TryGetValue(column, out var key) && raw.TryGetValue(key, out var value) ? CustomerRows.CellText(value) : null;

        var company = Text(Company);
        var contact = Text(Contact);
        if (company is null)
        {
            row.Problems.Add(Problem(Company, ImportProblemKind.Required, "缺少公司名称", "The company is missing"));
        }
        if (contact is null)
        {
            row.Problems.Add(Problem(Contact, ImportProblemKind.Required, "缺少联系人", "The contact name is missing"));
        }
        foreach (var column in new[] { Company, Contact, Email, Notes })
        {
            if (Text(column) is { } value && value.Length > _limits[column.Zh])
            {
                row.Problems.Add(Problem(column, ImportProblemKind.InvalidFormat, $"{column.Zh}超过 {_limits[column.Zh]} 个字符", $"{column.En} is longer than {_limits[column.Zh]} characters"));
            }
        }

        var errors = new List<ValidationError>();
        var mobileText = Text(Mobile);
        var emailText = Text(Email);
        var mobile = ContactRules.NormalizeMobile(mobileText, Mobile.Zh, errors);
        var email = ContactRules.NormalizeEmail(emailText, Email.Zh, errors);
        foreach (var error in errors)
        {
            var value = error.Arguments.FirstOrDefault()?.ToString() ?? "";
            row.Problems.Add(error.Field == Mobile.Zh
                ? Problem(Mobile, ImportProblemKind.InvalidFormat, $"手机“{value}”不是有效的手机号（11 位、13–19 开头，或 +国家码）", $"Mobile \"{value}\" is not a valid mobile number")
                : Problem(Email, ImportProblemKind.InvalidFormat, $"邮箱“{value}”格式不正确", $"E-mail \"{value}\" is not a valid address"));
        }
        if (mobileText is null && emailText is null)
        {
            row.Problems.Add(Problem(Mobile, ImportProblemKind.Required, "缺少手机或邮箱（至少填一项）", "Give a mobile or an e-mail"));
        }

        var source = DictionaryCells.Code(row, _source.Column, _source.Items, Text(Source), _codes, _valueMap, Values);
        var region = DictionaryCells.Code(row, _region.Column, _region.Items, Text(Region), _codes, _valueMap, Values);
        var owner = OwnerOf(row, Text(Owner));
        var team = TeamOf(row, Text(Pool));

        row.Lead = new LeadImportValues(company ?? "", contact ?? "", mobile, email, source, region, Text(Notes), owner, team);
        SeenBefore(row, _mobilesSeen, mobile, Mobile);
        SeenBefore(row, _emailsSeen, email, Email);
        return row;
    }

    /// <summary>
    /// A chunk against the database: its dictionary codes still active (the form's rule, so an item switched off since the
    /// preview is refused when the batch is written), and mobiles and e-mails not held by a stored lead.
    /// </summary>
    public async Task CheckAgainstDatabaseAsync(CrmDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var valid = rows.Where(r => r.IsValid && r.Lead is not null).ToList();
        var refused = new Dictionary<(DictionaryKind, string), bool>();
        foreach (var (kind, code) in valid.SelectMany(r => new[] { (DictionaryKind.LeadSource, r.Lead!.Source), (DictionaryKind.Region, r.Lead!.Region) })
            .Where(c => c.Item2 is not null).Select(c => (c.Item1, c.Item2!)).Distinct())
        {
            var errors = new List<ValidationError>();
            await DictionaryChoices.CheckAsync(db, kind, null, code, kind.ToString(), errors, cancellationToken);
            refused[(kind, code)] = errors.Count > 0;
        }
        var mobiles = valid.Select(r => r.Lead!.Mobile).OfType<string>().Distinct().ToList();
        var emails = valid.Select(r => r.Lead!.Email).OfType<string>().Distinct().ToList();
        var holders = mobiles.Count + emails.Count == 0 ? [] : await db.Leads.AsNoTracking()
            .Where(l => (l.Mobile != null && mobiles.Contains(l.Mobile)) || (l.Email != null && emails.Contains(l.Email)))
            .Select(l => new { l.Id, l.Number, l.Mobile, l.Email }).ToListAsync(cancellationToken);
        var holderIds = holders.Select(h => h.Id).ToList();
        // A lead's number is named only to those who may see it: outside their scope the row says so, no more.
        var visible = holderIds.Count == 0 ? [] : (await db.Leads.AsNoTracking().VisibleTo(_user).Where(l => holderIds.Contains(l.Id)).Select(l => l.Id).ToListAsync(cancellationToken)).ToHashSet();
        string Named(Guid id, string number, bool chinese) => visible.Contains(id) ? number : chinese ? "（不在你的权限范围内）" : "(outside your scope)";

        foreach (var row in valid)
        {
            var lead = row.Lead!;
            foreach (var (column, kind, code) in new[] { (Source, DictionaryKind.LeadSource, lead.Source), (Region, DictionaryKind.Region, lead.Region) })
            {
                if (code is not null && refused[(kind, code)])
                {
                    row.Problems.Add(Problem(column, ImportProblemKind.UnknownValue, $"{column.Zh}“{code}”已停用", $"{column.En} \"{code}\" is no longer in use"));
                }
            }
            if (lead.Mobile is { } mobile && holders.FirstOrDefault(h => h.Mobile == mobile) is { } byMobile)
            {
                row.Problems.Add(Problem(Mobile, ImportProblemKind.DuplicateInDatabase, $"手机 {mobile} 已属于线索 {Named(byMobile.Id, byMobile.Number, true)}",
                    $"Mobile {mobile} belongs to lead {Named(byMobile.Id, byMobile.Number, false)}"));
            }
            else if (lead.Email is { } email && holders.FirstOrDefault(h => h.Email == email) is { } byEmail)
            {
                row.Problems.Add(Problem(Email, ImportProblemKind.DuplicateInDatabase, $"邮箱 {email} 已属于线索 {Named(byEmail.Id, byEmail.Number, true)}",
                    $"E-mail {email} belongs to lead {Named(byEmail.Id, byEmail.Number, false)}"));
            }
        }
    }

    /// <summary>
    /// Adds a batch's checked rows as new leads, numbered LD{yyyy}{nnnnn} from one reservation: with an owner, theirs from
    /// now; without, waiting in the named team's pool (none: the company's). One <see cref="LeadChanged"/> per owner or pool
    /// of the batch is recorded with it, so open lead lists refresh once the batch is committed.
    /// </summary>
    public static async Task<int> AddAsync(CrmDbContext db, IReadOnlyList<ImportRow> rows, CompanyClock clock, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        var year = clock.Today.Year;
        var serial = await NumberSequences.ReserveAsync(db, Lead.SequenceOf(year), rows.Count, cancellationToken) - rows.Count;
        var now = clock.UtcNow;
        var leads = new List<Lead>(rows.Count);
        foreach (var values in rows.Select(r => r.Lead!))
        {
            leads.Add(new Lead
            {
                Number = Lead.NumberOf(year, ++serial),
                Company = values.Company,
                ContactName = values.ContactName,
                Mobile = values.Mobile,
                Email = values.Email,
                Source = values.Source,
                Region = values.Region,
                Notes = values.Notes,
                Status = LeadStatus.New,
                OwnerId = values.OwnerId,
                AssignedAt = values.OwnerId is null ? null : now,
                TeamId = values.TeamId,
            });
        }
        db.Leads.AddRange(leads);
        await LeadChanged.RecordImportedAsync(db, leads, cancellationToken);
        return leads.Count;
    }

    private Guid? OwnerOf(ImportRow row, string? name)
    {
        if (name is null)
        {
            return null;
        }
        var matches = _owners.Where(u => string.Equals(u.DisplayName, name, StringComparison.Ordinal) || string.Equals(u.Email, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 1)
        {
            return matches[0].Id;
        }
        row.Problems.Add(matches.Count == 0
            ? Problem(Owner, ImportProblemKind.UnknownValue, $"负责人“{name}”不是你可以指派线索的销售", $"Owner \"{name}\" is not a sales rep you may give leads to")
            : Problem(Owner, ImportProblemKind.UnknownValue, $"负责人“{name}”有重名，请填写其账号（邮箱）", $"Owner \"{name}\" is ambiguous: give their account (e-mail)"));
        return null;
    }

    private Guid? TeamOf(ImportRow row, string? name)
    {
        if (name is null)
        {
            return null;
        }
        var match = _teams.Where(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)).Select(t => (Guid?)t.Id).FirstOrDefault();
        if (match is null)
        {
            row.Problems.Add(Problem(Pool, ImportProblemKind.UnknownValue, $"团队线索池“{name}”不存在或不是你所在团队的", $"Team pool \"{name}\" does not exist or is not a team of yours"));
        }
        return match;
    }

    private static void SeenBefore(ImportRow row, SeenKeys seen, string? text, LeadColumn column)
    {
        if (text is not null && seen.FirstRow(text, row.RowNumber) is { } first)
        {
            row.Problems.Add(Problem(column, ImportProblemKind.DuplicateInFile, $"{column.Zh}与第 {first} 行重复", $"{column.En} repeats row {first}"));
        }
    }

    private static ImportProblem Problem(LeadColumn column, ImportProblemKind kind, string zh, string en) => new(column.Zh, kind, zh, en);
}
