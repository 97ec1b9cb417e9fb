using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Demands;

namespace CrmBlazor.Server.Features.Demands;

/// <summary>
/// Serves a demand's evidence file (SPEC D3) to a signed-in user who may see its customer: 403 for a
/// customer outside their scope or a role without demands, 404 when there is no such file. Always a
/// download, never rendered by the browser as a page.
/// </summary>
public static class EvidenceEndpoint
{
    public static WebApplication MapDemandEvidence(this WebApplication app)
    {
        app.MapGet("/demands/evidence/{id:guid}", async (Guid id, DemandQueries queries, HttpContext http, CancellationToken cancellationToken) =>
        {
            try
            {
                var (evidence, content) = await queries.OpenEvidenceAsync(id, cancellationToken);
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.File(content, evidence.ContentType, evidence.FileName);
            }
            catch (AccessDeniedException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            catch (NotFoundException)
            {
                return Results.NotFound();
            }
        }).RequireAuthorization();
        return app;
    }
}
