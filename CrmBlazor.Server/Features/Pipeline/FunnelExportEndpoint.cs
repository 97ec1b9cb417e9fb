using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Reports;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Pipeline;

/// <summary>
/// The funnel as a workbook (SPEC F4): a form POST with the antiforgery token to <c>/pipeline/funnel/export</c>, fields
/// <c>from</c> and <c>to</c> (yyyy-MM-dd, company days as the reports take them); sheets Stages, Reps and Teams headed in the
/// reader's language, within their scope, audited with the range. Amounts in yuan; names neutralised.
/// </summary>
public static class FunnelExportEndpoint
{
    public const string Path = "/pipeline/funnel/export";

    public static WebApplication MapFunnelExport(this WebApplication app)
    {
        app.MapPost(Path, async ([FromForm] DateOnly? from, [FromForm] DateOnly? to, FunnelQueries funnel, AuditLog audit, ICurrentUser user,
            Permissions permissions, CompanyClock clock, IStringLocalizer<SharedResource> l, CancellationToken cancellationToken) =>
        {
            var (since, until) = ReportRange.Utc(from, to, clock);
            FunnelView view;
            try
            {
                permissions.Demand(user, Module.Pipeline, Operation.Export);
                view = await funnel.LoadAsync(since, until, cancellationToken);
            }
            catch (AccessDeniedException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            var sheets = new Dictionary<string, object>
            {
                ["Stages"] = FunnelCells.StageRows(view.Total, l),
                ["Reps"] = FunnelCells.PeopleRows([.. view.Reps, view.Total], l["Funnel.Rep"], l),
                ["Teams"] = FunnelCells.PeopleRows(view.Teams, l["Funnel.Team"], l),
            };
            var (first, last) = ReportRange.Days(from, to, clock);
            await audit.RecordAsync(AuditAction.Export, "Funnel", string.Create(CultureInfo.InvariantCulture, $"{first:yyyy-MM-dd}..{last:yyyy-MM-dd}"), user.UserId, user.DisplayName,
            [
                new FieldChange("From", null, first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                new FieldChange("To", null, last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                new FieldChange("Sheets", null, string.Join(", ", sheets.Keys)),
            ], cancellationToken);
            return await ExcelCells.FileAsync(sheets, string.Create(CultureInfo.InvariantCulture, $"funnel-{first:yyyyMMdd}-{last:yyyyMMdd}.xlsx"), cancellationToken);
        }).RequireAuthorization().RequireAntiforgeryToken().RequireRateLimiting(SecurityHosting.ExportLimit);
        return app;
    }
}

/// <summary>A funnel's rows as workbook cells: the export's sheets and the funnel report (SPEC E4) share them.</summary>
public static class FunnelCells
{
    public static List<Dictionary<string, object?>> StageRows(FunnelRow row, IStringLocalizer l) =>
        row.Stages.Select(s => new Dictionary<string, object?>
        {
            [l["Funnel.Stage"]] = PipelineTexts.Stage(l, s.Stage),
            [l["Funnel.Reached"]] = s.Reached,
            [l["Funnel.Conversion"]] = row.ConversionToNext(s.Stage),
            [l["Funnel.Count"]] = s.Count,
            [l["Funnel.Amount"]] = s.AmountFen / 100m,
            [l["Funnel.Weighted"]] = s.WeightedFen / 100m,
            [l["Funnel.AverageDays"]] = s.AverageDays is { } days ? Math.Round(days, 2) : null,
        }).ToList();

    /// <summary>One line per rep or team (the total, with no id, named "Total"): its reached counts per open stage and won.</summary>
    public static List<Dictionary<string, object?>> PeopleRows(IEnumerable<FunnelRow> rows, string nameHeader, IStringLocalizer l) =>
        rows.Select(r =>
        {
            var cells = new Dictionary<string, object?>
            {
                [nameHeader] = r.Id is null ? l["Reports.Total"].Value : ExcelText.Neutralize(r.Name),
                [l["Funnel.Opportunities"]] = r.Opportunities,
                [l["Funnel.Amount"]] = r.AmountFen / 100m,
                [l["Funnel.Weighted"]] = r.WeightedFen / 100m,
            };
            foreach (var stage in StageProbabilities.Open.Append(OpportunityStage.Won))
            {
                cells[PipelineTexts.Stage(l, stage)] = r[stage].Reached;
            }
            cells[l["Funnel.Won"]] = r.ClosedWon;
            cells[l["Funnel.Lost"]] = r.ClosedLost;
            cells[l["Funnel.WinRate"]] = r.WinRate;
            cells[l["Funnel.DaysToWin"]] = r.AverageDaysToWin is { } days ? Math.Round(days, 2) : null;
            cells[l["Funnel.DaysLeadToWin"]] = r.AverageDaysLeadToWon is { } fromLead ? Math.Round(fromLead, 2) : null;
            return cells;
        }).ToList();
}
