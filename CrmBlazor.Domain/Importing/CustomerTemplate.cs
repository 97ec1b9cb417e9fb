using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Importing;

/// <summary>One column of the customer workbook: its header as users read it, and whether a row needs it.</summary>
public sealed record WorkbookColumn(string Header, bool Required, DictionaryKind? Dictionary = null, Guid? CustomFieldId = null);

/// <summary>The import template's content: the columns, an example row, and every allowed coded value.</summary>
public sealed record CustomerTemplateContent(
    IReadOnlyList<WorkbookColumn> Columns,
    IReadOnlyDictionary<string, object?> Example,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> AllowedValues);

/// <summary>
/// The customer import template (SPEC H1): every customer and key-contact column, the active custom fields
/// (required ones marked *), one example row, and a second sheet listing the allowed dictionary values and
/// select options in both languages. The import reads the same headers.
/// </summary>
public sealed class CustomerTemplate(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions, CompanyClock clock)
{
    public const string RequiredMark = "*";

    /// <summary>The sheet holding the customers; the import reads the sheet of this name when a workbook has one.</summary>
    public const string SheetName = "客户";

    /// <summary>The sheet listing the allowed values.</summary>
    public const string AllowedValuesSheetName = "可选值";

    public static IReadOnlyList<WorkbookColumn> FixedColumns { get; } =
    [
        new("客户编号", false),
        new("客户名称", true),
        new("行业", false, DictionaryKind.Industry),
        new("规模", false, DictionaryKind.CompanySize),
        new("状态", false, DictionaryKind.CustomerStatus),
        new("省份", false, DictionaryKind.Region),
        new("城市", false),
        new("区县", false),
        new("街道地址", false),
        new("网站", false),
        new("合作历史", false),
        new("备注", false),
        new("关键联系人", true),
        new("职务", false),
        new("手机", false),
        new("座机", false),
        new("邮箱", false),
    ];

    public async Task<CustomerTemplateContent> BuildAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Importing, Operation.Import);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var fields = await db.CustomFields.AsNoTracking().Where(f => f.IsActive).OrderBy(f => f.Order).ToListAsync(cancellationToken);
        var headers = CustomFieldHeaders(fields);
        var columns = FixedColumns.Concat(fields.Select(f => new WorkbookColumn(headers[f.Id], f.IsRequired, CustomFieldId: f.Id))).ToList();

        var dictionaries = await db.DictionaryItems.AsNoTracking().Where(d => d.IsActive).OrderBy(d => d.Kind).ThenBy(d => d.Order).ToListAsync(cancellationToken);
        var allowed = new List<IReadOnlyDictionary<string, object?>>();
        foreach (var column in columns.Where(c => c.Dictionary is not null))
        {
            allowed.AddRange(dictionaries.Where(d => d.Kind == column.Dictionary).Select(d => Allowed(column.Header, d.LabelZh, d.LabelEn, d.Code)));
        }
        foreach (var field in fields.Where(f => f.Type is CustomFieldType.SingleSelect or CustomFieldType.MultiSelect))
        {
            allowed.AddRange(field.OptionList.Select(o => Allowed(headers[field.Id], o, o, o)));
        }
        foreach (var field in fields.Where(f => f.Type == CustomFieldType.YesNo))
        {
            allowed.Add(Allowed(headers[field.Id], "是", "Yes", "true"));
            allowed.Add(Allowed(headers[field.Id], "否", "No", "false"));
        }

        var example = new Dictionary<string, object?>
        {
            ["客户编号"] = "",
            ["客户名称"] = "杭州云帆网络科技有限公司",
            ["行业"] = Label(dictionaries, DictionaryKind.Industry, "internet") ?? "",
            ["规模"] = Label(dictionaries, DictionaryKind.CompanySize, "50-200") ?? "",
            ["状态"] = Label(dictionaries, DictionaryKind.CustomerStatus, "new") ?? "",
            ["省份"] = Label(dictionaries, DictionaryKind.Region, "浙江") ?? "",
            ["城市"] = "杭州",
            ["区县"] = "西湖区",
            ["街道地址"] = "文三路 100 号",
            ["网站"] = "https://www.yunfan.example.cn",
            ["合作历史"] = "2024 年起使用标准版",
            ["备注"] = "留空“客户编号”即新建客户",
            ["关键联系人"] = "王芳",
            ["职务"] = "采购经理",
            ["手机"] = "13800138000",
            ["座机"] = "0571-88886666",
            ["邮箱"] = "wangfang@yunfan.example.cn",
        };
        foreach (var field in fields)
        {
            example[headers[field.Id]] = field.Type switch
            {
                CustomFieldType.YesNo => "否",
                CustomFieldType.SingleSelect or CustomFieldType.MultiSelect => field.OptionList.Count > 0 ? field.OptionList[0] : "",
                CustomFieldType.Number => 0,
                CustomFieldType.Date => clock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                _ => "",
            };
        }
        return new CustomerTemplateContent(columns, example, allowed);
    }

    /// <summary>
    /// Each custom field's column header: its Chinese label, unless a fixed column or an earlier field has
    /// it already ("备注" as a custom field becomes "备注（自定义）"), so no column hides another.
    /// </summary>
    public static IReadOnlyDictionary<Guid, string> CustomFieldHeaders(IEnumerable<CustomFieldDefinition> fields)
    {
        var taken = FixedColumns.Select(c => c.Header).Concat(CustomerExport.ExtraColumns).ToHashSet(StringComparer.Ordinal);
        var headers = new Dictionary<Guid, string>();
        foreach (var field in fields)
        {
            var header = field.LabelZh.Trim();
            for (var n = 1; !taken.Add(header); n++)
            {
                header = n == 1 ? $"{field.LabelZh.Trim()}（自定义）" : $"{field.LabelZh.Trim()}（自定义{n}）";
            }
            headers[field.Id] = header;
        }
        return headers;
    }

    public static string HeaderText(WorkbookColumn column) => column.Required ? column.Header + RequiredMark : column.Header;

    private static string? Label(IEnumerable<DictionaryItem> items, DictionaryKind kind, string code) =>
        items.FirstOrDefault(d => d.Kind == kind && d.Code == code)?.LabelZh;

    private static Dictionary<string, object?> Allowed(string column, string zh, string en, string code) =>
        new() { ["字段"] = column, ["可选值"] = zh, ["English"] = en, ["代码"] = code };
}
