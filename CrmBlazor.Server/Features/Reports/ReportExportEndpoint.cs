using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Reports;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Reports;

/// <summary>
/// A report as a workbook (SPEC E4): a form POST with the antiforgery token to <c>/reports/{interactions|sla|completeness}/export</c>,
/// fields <c>from</c> and <c>to</c> (yyyy-MM-dd), headed in the reader's language, within their scope, audited with the
/// report and its range; text cells neutralised.
/// </summary>
public static class ReportExportEndpoint
{
    public static string PathFor(string name) => $"/reports/{name}/export";

    public static WebApplication MapReportExport(this WebApplication app)
    {
        app.MapPost("/reports/{name}/export", async (string name, [FromForm] DateOnly? from, [FromForm] DateOnly? to, ReportQueries reports, AuditLog audit, ICurrentUser user,
            Permissions permissions, CompanyClock clock, IStringLocalizer<SharedResource> l, CancellationToken cancellationToken) =>
        {
            var (since, until) = ReportRange.Utc(from, to, clock);
            List<Dictionary<string, object?>> rows;
            try
            {
                permissions.Demand(user, Module.Reports, Operation.Export);
                rows = name switch
                {
                    "interactions" => (await reports.InteractionsAsync(since, until, cancellationToken)).Select(r => Row(
                        (l["Reports.Rep"], Text(r.Rep, l)), (l["Reports.InteractionCount"], r.Interactions), (l["Reports.CustomerCount"], r.Customers), (l["Reports.Last"], clock.ToLocal(r.Last)))).ToList(),
                    "sla" => (await reports.SlaAsync(since, until, cancellationToken)).Select(r => Row(
                        (l["Reports.Owner"], Text(r.Owner, l)), (l["Reports.Demands"], r.Demands), (l["Reports.InTime"], r.InTime), (l["Reports.Late"], r.Late),
                        (l["Reports.OpenBreached"], r.OpenBreached), (l["Reports.OpenRunning"], r.OpenWithinDeadline), (l["Reports.Rate"], r.Rate))).ToList(),
                    "completeness" => (await reports.CompletenessAsync(cancellationToken)).Select(r => Row(
                        (l["Reports.Owner"], Text(r.Owner, l)), (l["Reports.CustomerCount"], r.Customers), (l["Customer.Industry"], r.WithIndustry), (l["Customer.Size"], r.WithSize),
                        (l["Customer.Province"], r.WithRegion), (l["Customer.Website"], r.WithWebsite), (l["Reports.KeyMobile"], r.WithKeyMobile), (l["Reports.KeyEmail"], r.WithKeyEmail), (l["Reports.Rate"], r.Rate))).ToList(),
                    _ => throw new NotFoundException("Report", name),
                };
            }
            catch (AccessDeniedException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            catch (NotFoundException)
            {
                return Results.NotFound();
            }
            var (first, last) = ReportRange.Days(from, to, clock);
            await audit.RecordAsync(AuditAction.Export, $"Report:{name}", string.Create(CultureInfo.InvariantCulture, $"{first:yyyy-MM-dd}..{last:yyyy-MM-dd}"), user.UserId, user.DisplayName,
            [
                new FieldChange("Report", null, name),
                new FieldChange("From", null, first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                new FieldChange("To", null, last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                new FieldChange("Rows", null, rows.Count.ToString(CultureInfo.InvariantCulture)),
            ], cancellationToken);
            return await ExcelCells.FileAsync(rows,
                string.Create(CultureInfo.InvariantCulture, $"report-{name}-{first:yyyyMMdd}-{last:yyyyMMdd}.xlsx"), cancellationToken);
        }).RequireAuthorization().RequireAntiforgeryToken().RequireRateLimiting(SecurityHosting.ExportLimit);
        return app;
    }

    private static Dictionary<string, object?> Row(params (LocalizedString Header, object? Value)[] cells) =>
        cells.ToDictionary(c => c.Header.Value, c => c.Value);

    private static string Text(string name, IStringLocalizer l) => ExcelText.Neutralize(name == ReportQueries.Total ? l["Reports.Total"] : name);
}
