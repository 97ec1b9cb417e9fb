using CrmBlazor.Domain.Access;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Components.Shared;

namespace CrmBlazor.Server.Features.Importing;

/// <summary>An import's failing rows with their reasons (SPEC H2), for its own requester only.</summary>
public static class ImportErrorsEndpoint
{
    public static string UrlFor(Guid jobId) => $"/customers/import/{jobId}/errors";

    public static WebApplication MapImportErrors(this WebApplication app)
    {
        app.MapGet("/customers/import/{id:guid}/errors", async (Guid id, CustomerImport import, CancellationToken cancellationToken) =>
        {
            var path = await import.ErrorsWorkbookAsync(id, cancellationToken);
            return path is null
                ? Results.NotFound()
                : Results.File(path, ExcelCells.ContentType, $"导入错误-{id.ToString("N")[..8]}.xlsx");
        }).RequireAuthorization(new RequirePermissionAttribute(Module.Importing, Operation.Import));
        return app;
    }
}
