using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Domain.Reports;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Server.Features.Pipeline;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Reports;

/// <summary>
/// A report as a workbook (SPEC E4): a form POST with the antiforgery token to
/// <c>/reports/{interactions|sla|funnel|ticket-sla|satisfaction|completeness}/export</c>, fields <c>from</c> and <c>to</c> (yyyy-MM-dd) and,
/// for the ticket reports, <c>by</c> (a <see cref="TicketReportBy"/>), headed in the reader's language, within their scope, audited with the
/// report and its range; text cells neutralised.
/// </summary>
public static class ReportExportEndpoint
{
    public static string PathFor(string name) => $"/reports/{name}/export";

    public static WebApplication MapReportExport(this WebApplication app)
    {
        app.MapPost("/reports/{name}/export", async (string name, [FromForm] DateOnly? from, [FromForm] DateOnly? to, [FromForm] string? by, ReportQueries reports, TicketReports ticketReports, FunnelQueries funnel, DictionaryLabels labels, AuditLog audit, ICurrentUser user,
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
                    "funnel" => FunnelReportRows(await funnel.LoadAsync(since, until, cancellationToken), l),
                    "ticket-sla" => await TicketSlaRowsAsync(ticketReports, labels, l, since, until, TicketReportTexts.ParseBy(by, TicketReports.SlaDimensions), cancellationToken),
                    "satisfaction" => await SatisfactionRowsAsync(ticketReports, labels, l, since, until, TicketReportTexts.ParseBy(by, TicketReports.SatisfactionDimensions), cancellationToken),
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
                .. by is null ? Array.Empty<FieldChange>() : [new FieldChange("By", null, by)],
                new FieldChange("From", null, first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                new FieldChange("To", null, last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                new FieldChange("Rows", null, rows.Count.ToString(CultureInfo.InvariantCulture)),
            ], cancellationToken);
            return await ExcelCells.FileAsync(rows,
                string.Create(CultureInfo.InvariantCulture, $"report-{name}-{first:yyyyMMdd}-{last:yyyyMMdd}.xlsx"), cancellationToken);
        }).RequireAuthorization().RequireAntiforgeryToken().RequireRateLimiting(SecurityHosting.ExportLimit);
        return app;
    }

    private static async Task<List<Dictionary<string, object?>>> TicketSlaRowsAsync(TicketReports reports, DictionaryLabels labels, IStringLocalizer l,
        DateTime since, DateTime until, TicketReportBy by, CancellationToken cancellationToken)
    {
        await labels.LoadAsync(cancellationToken);
        var headers = TicketReportTexts.SlaHeaders(l, by);
        return (await reports.SlaComplianceAsync(since, until, by, cancellationToken)).Select(r => Cells(headers,
            ExcelText.Neutralize(TicketReportTexts.Key(l, labels, by, r.Key)), r.Tickets, r.ResponseMet, r.ResponseBreached, r.ResponseRunning, r.ResponseRate,
            r.ResolutionMet, r.ResolutionBreached, r.ResolutionRunning, r.ResolutionRate)).ToList();
    }

    private static async Task<List<Dictionary<string, object?>>> SatisfactionRowsAsync(TicketReports reports, DictionaryLabels labels, IStringLocalizer l,
        DateTime since, DateTime until, TicketReportBy by, CancellationToken cancellationToken)
    {
        await labels.LoadAsync(cancellationToken);
        var headers = TicketReportTexts.SatisfactionHeaders(l, by);
        return (await reports.SatisfactionAsync(since, until, by, cancellationToken)).Select(r => Cells(headers,
            ExcelText.Neutralize(TicketReportTexts.Key(l, labels, by, r.Key)), r.Surveys, r.Average, r.Satisfied, r.Dissatisfied, r.SatisfiedRate)).ToList();
    }

    /// <summary>The funnel conversion report (SPEC E4): the funnel page's rows per rep, the total last.</summary>
    private static List<Dictionary<string, object?>> FunnelReportRows(FunnelView view, IStringLocalizer l) =>
        FunnelCells.PeopleRows([.. view.Reps, view.Total], l["Funnel.Rep"], l);

    private static Dictionary<string, object?> Cells(IReadOnlyList<string> headers, params object?[] values) =>
        headers.Zip(values).ToDictionary(c => c.First, c => c.Second);

    private static Dictionary<string, object?> Row(params (LocalizedString Header, object? Value)[] cells) =>
        cells.ToDictionary(c => c.Header.Value, c => c.Value);

    private static string Text(string name, IStringLocalizer l) => ExcelText.Neutralize(name == ReportQueries.Total ? l["Reports.Total"] : name);
}
