using CrmBlazor.Domain.Access;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Components.Shared;

namespace CrmBlazor.Server.Features.Importing;

/// <summary>An import's failing rows with their reasons (SPEC H2), for its own requester only.</summary>
public static class ImportErrorsEndpoint
{
    public static string UrlFor(Guid jobId, ImportKind kind = ImportKind.Customers) => kind switch
    {
        ImportKind.Leads => $"/leads/import/{jobId}/errors",
        ImportKind.Contacts => $"/customers/import/contacts/{jobId}/errors",
        _ => $"/customers/import/{jobId}/errors",
    };

    public static WebApplication MapImportErrors(this WebApplication app)
    {
        app.MapGet("/customers/import/{id:guid}/errors", (Guid id, CustomerImport import, CancellationToken cancellationToken) => ErrorsAsync(id, ImportKind.Customers, import, cancellationToken))
            .RequireAuthorization(new RequirePermissionAttribute(Module.Importing, Operation.Import));
        app.MapGet("/customers/import/contacts/{id:guid}/errors", (Guid id, CustomerImport import, CancellationToken cancellationToken) => ErrorsAsync(id, ImportKind.Contacts, import, cancellationToken))
            .RequireAuthorization(new RequirePermissionAttribute(Module.Importing, Operation.Import));
        app.MapGet("/leads/import/{id:guid}/errors", (Guid id, CustomerImport import, CancellationToken cancellationToken) => ErrorsAsync(id, ImportKind.Leads, import, cancellationToken))
            .RequireAuthorization(new RequirePermissionAttribute(Module.Pipeline, Operation.Import));
        return app;
    }

    /// <summary>The workbook, when the import is the caller's own and of the kind this URL serves (a lead importer does not read customer imports here).</summary>
    private static async Task<IResult> ErrorsAsync(Guid id, ImportKind kind, CustomerImport import, CancellationToken cancellationToken)
    {
        var path = await import.FindAsync(id, cancellationToken) is { } job && job.Kind == kind ? await import.ErrorsWorkbookAsync(id, cancellationToken) : null;
        return path is null
            ? Results.NotFound()
            : Results.File(path, ExcelCells.ContentType, $"导入错误-{id.ToString("N")[..8]}.xlsx");
    }
}
