using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Hosting;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Pipeline;

/// <summary>
/// A quote as a workbook for the customer (SPEC F3): a form POST with the antiforgery token to <c>/quotes/{id}/export</c>.
/// One document of a deal in the caller's scope, so viewing the pipeline is enough (a rep sends their own quotes); audited
/// with the quote's number. Written by <see cref="QuoteWorkbook"/> in the reader's language, text cells neutralised.
/// </summary>
public static class QuoteExportEndpoint
{
    public static string PathOf(Guid quoteId) => $"/quotes/{quoteId}/export";

    public static WebApplication MapQuoteExport(this WebApplication app)
    {
        app.MapPost("/quotes/{id:guid}/export", async (Guid id, QuoteQueries queries, AuditLog audit, ICurrentUser user, IStringLocalizer<SharedResource> l, CancellationToken cancellationToken) =>
        {
            QuoteView quote;
            try
            {
                quote = await queries.GetAsync(id, cancellationToken);
            }
            catch (AccessDeniedException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            catch (NotFoundException)
            {
                return Results.NotFound();
            }
            var labels = new QuoteWorkbookLabels(l["Quotes.Sheet"], l["Quotes.Number"], l["Quotes.Customer"], l["Quotes.Opportunity"], l["Quotes.Status"], l["Quotes.ValidUntil"],
                l["Quotes.Position"], l["Quotes.Code"], l["Quotes.Product"], l["Quotes.Unit"], l["Quotes.Quantity"], l["Quotes.UnitPrice"], l["Quotes.Discount"], l["Quotes.LineTotal"], l["Quotes.Total"]);
            await audit.RecordAsync(AuditAction.Export, nameof(Quote), quote.DisplayNumber, user.UserId, user.DisplayName,
            [
                new FieldChange("Quote", null, quote.DisplayNumber),
                new FieldChange("Lines", null, quote.Lines.Count.ToString(CultureInfo.InvariantCulture)),
            ], cancellationToken);
            var stream = new MemoryStream();
            await QuoteWorkbook.WriteAsync(stream, quote, labels, l[$"Quotes.Status.{quote.Status}"], cancellationToken);
            stream.Position = 0;
            return Results.File(stream, ExcelCells.ContentType, $"{quote.DisplayNumber}.xlsx");
        }).RequireAuthorization().RequireAntiforgeryToken().RequireRateLimiting(SecurityHosting.ExportLimit);
        return app;
    }
}
