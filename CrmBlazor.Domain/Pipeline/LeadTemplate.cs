using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Importing;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Pipeline;

/// <summary>The lead template's sheets, ready to save: the leads sheet (headers and an example row) and the allowed values.</summary>
public sealed record LeadTemplateContent(string FileName, IReadOnlyDictionary<string, object> Sheets);

/// <summary>
/// The lead import template (SPEC F1 through the H1/H2 engine): the columns of <see cref="LeadRows"/> with headers in the
/// user's language (the import reads either language; required ones marked *), an example row, and a sheet listing the
/// lead sources and regions in both languages with their codes. Every text cell neutralised like any workbook we write.
/// </summary>
public sealed class LeadTemplate(IDbContextFactory<CrmDbContext> dbFactory, ICurrentUser currentUser, Permissions permissions)
{
    public const string SheetName = "线索";
    public const string SheetNameEn = "Leads";

    public async Task<LeadTemplateContent> BuildAsync(bool chinese, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Pipeline, Operation.Import);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await db.DictionaryItems.AsNoTracking().Where(d => d.IsActive && (d.Kind == DictionaryKind.LeadSource || d.Kind == DictionaryKind.Region))
            .OrderBy(d => d.Kind).ThenBy(d => d.Order).ToListAsync(cancellationToken);
        string Header(LeadColumn c) => (chinese ? c.Zh : c.En) + (c.Required ? CustomerTemplate.RequiredMark : "");
        string Label(DictionaryKind kind) => items.FirstOrDefault(d => d.Kind == kind) is { } item ? chinese ? item.LabelZh : item.LabelEn : "";

        var example = new Dictionary<string, object?>
        {
            [Header(LeadRows.Source)] = Label(DictionaryKind.LeadSource),
            [Header(LeadRows.Company)] = chinese ? "苏州恒远精密机械有限公司" : "Suzhou Hengyuan Precision Machinery Co., Ltd.",
            [Header(LeadRows.Contact)] = chinese ? "李明" : "Li Ming",
            [Header(LeadRows.Mobile)] = "13900139000",
            [Header(LeadRows.Email)] = "liming@hengyuan.example.cn",
            [Header(LeadRows.Region)] = Label(DictionaryKind.Region),
            [Header(LeadRows.Notes)] = chinese ? "负责人留空：进入团队线索池（也留空：公司线索池）" : "No owner: the lead waits in the team pool (none: the company's pool)",
            [Header(LeadRows.Owner)] = "",
            [Header(LeadRows.Pool)] = "",
        };
        var allowed = items.Select(d => new Dictionary<string, object?>
        {
            [chinese ? "字段" : "Column"] = ExcelText.Neutralize(d.Kind == DictionaryKind.LeadSource ? Header(LeadRows.Source) : Header(LeadRows.Region)),
            [chinese ? "可选值" : "Value"] = ExcelText.Neutralize(chinese ? d.LabelZh : d.LabelEn),
            [chinese ? "English" : "中文"] = ExcelText.Neutralize(chinese ? d.LabelEn : d.LabelZh),
            [chinese ? "代码" : "Code"] = ExcelText.Neutralize(d.Code),
        }).ToList();
        var sheets = new Dictionary<string, object>
        {
            [chinese ? SheetName : SheetNameEn] = new[] { example.ToDictionary(c => ExcelText.Neutralize(c.Key), c => ExcelText.NeutralizeCell(c.Value)) },
            [chinese ? CustomerTemplate.AllowedValuesSheetName : "Allowed values"] = allowed,
        };
        return new LeadTemplateContent(chinese ? "线索导入模板.xlsx" : "lead-import-template.xlsx", sheets);
    }
}
