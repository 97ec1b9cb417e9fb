using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Feedback;

namespace CrmBlazor.Server.Features.Feedback;

/// <summary>
/// Serves a feedback screenshot to Admin's detail dialog (SPEC I3): 403 for those who may not read feedback, 404 when the
/// item has no screenshot. Only PNG or JPEG reach storage (checked by content), served as such with nosniff.
/// </summary>
public static class FeedbackScreenshotEndpoint
{
    public static WebApplication MapFeedbackScreenshots(this WebApplication app)
    {
        app.MapGet("/admin/feedback/{id:guid}/screenshot", async (Guid id, FeedbackService feedback, HttpContext http, CancellationToken cancellationToken) =>
        {
            try
            {
                var screenshot = await feedback.OpenScreenshotAsync(id, cancellationToken);
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers.CacheControl = "private, no-store";
                return Results.File(screenshot.Content, screenshot.ContentType);
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
