using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Tickets;

namespace CrmBlazor.Server.Features.Tickets;

/// <summary>
/// Serves a ticket's attachment (SPEC G1) to a signed-in user who may see the ticket: 403 for a role without tickets,
/// 404 for a ticket outside their scope or no such file. Always a download, never rendered by the browser as a page.
/// </summary>
public static class TicketAttachmentEndpoint
{
    public static WebApplication MapTicketAttachments(this WebApplication app)
    {
        app.MapGet("/tickets/attachments/{id:guid}", async (Guid id, TicketAttachmentService attachments, HttpContext http, CancellationToken cancellationToken) =>
        {
            try
            {
                var (attachment, content) = await attachments.OpenAsync(id, cancellationToken);
                http.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.File(content, attachment.ContentType, attachment.FileName);
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
