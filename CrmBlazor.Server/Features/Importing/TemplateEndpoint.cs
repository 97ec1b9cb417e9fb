using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Server.Components.Shared;

namespace CrmBlazor.Server.Features.Importing;

/// <summary>The customer import template as a workbook (SPEC H1): sheet "客户" with the columns and an example row, sheet "可选值" with the allowed values.</summary>
public static class TemplateEndpoint
{
    public static string UrlFor(ImportKind kind) => kind switch
    {
        ImportKind.Leads => "/leads/import/template",
        ImportKind.Contacts => "/customers/import/contacts/template",
        _ => "/customers/import/template",
    };

    public static WebApplication MapImportTemplate(this WebApplication app)
    {
        // The lead template (SPEC F1): headers in the user's language; the import reads either.
        app.MapGet("/leads/import/template", async (LeadTemplate template, CancellationToken cancellationToken) =>
        {
            var content = await template.BuildAsync(Dictionaries.DictionaryLabels.IsChinese, cancellationToken);
            return await ExcelCells.FileAsync(content.Sheets, content.FileName, cancellationToken);
        }).RequireAuthorization(new RequirePermissionAttribute(Module.Pipeline, Operation.Import));
        // The contacts-only template (issue 17): its columns and one example row; a team's own headings are mapped as well.
        app.MapGet("/customers/import/contacts/template", (CancellationToken cancellationToken) =>
            ExcelCells.FileAsync(new Dictionary<string, object> { ["联系人"] = new[] { ContactRows.Example.ToDictionary(c => c.Key, c => c.Value) } }, "联系人导入模板.xlsx", cancellationToken))
            .RequireAuthorization(new RequirePermissionAttribute(Module.Importing, Operation.Import));
        app.MapGet("/customers/import/template", async (CustomerTemplate template, CancellationToken cancellationToken) =>
        {
            CustomerTemplateContent content;
            try
            {
                content = await template.BuildAsync(cancellationToken);
            }
            catch (AccessDeniedException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            var example = content.Columns.ToDictionary(c => ExcelText.Neutralize(CustomerTemplate.HeaderText(c)),
                c => content.Example.GetValueOrDefault(c.Header) is string text ? ExcelText.Neutralize(text) : content.Example.GetValueOrDefault(c.Header));
            var sheets = new Dictionary<string, object>
            {
                [CustomerTemplate.SheetName] = new[] { example },
                [CustomerTemplate.AllowedValuesSheetName] = content.AllowedValues.Select(v => v.ToDictionary(p => p.Key, p => p.Value is string text ? ExcelText.Neutralize(text) : p.Value)).ToList(),
            };
            return await ExcelCells.FileAsync(sheets, "客户导入模板.xlsx", cancellationToken);
        }).RequireAuthorization();
        return app;
    }
}
