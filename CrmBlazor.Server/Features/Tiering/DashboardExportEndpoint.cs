using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Features.Dictionaries;
using CrmBlazor.Server.Hosting;
using Microsoft.Extensions.Localization;

namespace CrmBlazor.Server.Features.Tiering;

/// <summary>
/// The tier dashboard as a workbook (SPEC E3): a form POST with the antiforgery token to <c>/dashboard/tiers/export</c>;
/// one sheet of distributions, one of this month's tier movements, within the caller's scope, named and headed in the
/// reader's language (values by their labels, codes beside them); audited with its sheets and month. Cells never start
/// with a formula character.
/// </summary>
public static class DashboardExportEndpoint
{
    public const string Path = "/dashboard/tiers/export";

    public static WebApplication MapTierDashboardExport(this WebApplication app)
    {
        app.MapPost(Path, async (TierDashboard dashboard, DictionaryLabels labels, IStringLocalizer<SharedResource> l, AuditLog audit, ICurrentUser user, Permissions permissions,
            CompanyClock clock, CancellationToken cancellationToken) =>
        {
            TierDashboardData data;
            try
            {
                permissions.Demand(user, Module.Tiering, Operation.Export);
                data = await dashboard.LoadAsync(new CustomerFilter(), cancellationToken: cancellationToken);
            }
            catch (AccessDeniedException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            await labels.LoadAsync(cancellationToken);
            var distributions = data.Distributions.SelectMany(d => d.Value.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new Dictionary<string, object?>
            {
                [l["Dashboard.Dimension"]] = l[$"Customer.{d.Key}"].Value,
                [l["Dashboard.Value"]] = ExcelText.Neutralize(TierDashboardTexts.Value(d.Key, v.Key, labels, l)),
                [l["Dashboard.Code"]] = ExcelText.Neutralize(v.Key),
                [l["Reports.CustomerCount"]] = v.Value,
            })).ToList();
            var movements = data.MovementsThisMonth.Select(m => new Dictionary<string, object?>
            {
                [l["Dashboard.FromTier"]] = ExcelText.Neutralize(m.From ?? l["Dashboard.NoTier"]),
                [l["Dashboard.ToTier"]] = ExcelText.Neutralize(m.To ?? l["Dashboard.NoTier"]),
                [l["Reports.CustomerCount"]] = m.Customers,
            }).ToList();
            // Sheets and headings in the reader's language; the audit names the sheets invariantly.
            var sheets = new Dictionary<string, object> { [l["Dashboard.SheetDistribution"]] = distributions, [l["Dashboard.Movements"]] = movements };
            await audit.RecordAsync(AuditAction.Export, "TierDashboard", $"{distributions.Count} rows", user.UserId, user.DisplayName,
            [
                new FieldChange("Dashboard", null, "tiers"),
                new FieldChange("Filter", null, "{}"), // the whole of the caller's scope
                new FieldChange("Month", null, clock.Today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)),
                new FieldChange("Sheets", null, "Distribution, MovementsThisMonth"),
            ], cancellationToken);
            return await ExcelCells.FileAsync(sheets, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tier-dashboard-{clock.Now:yyyyMMdd}.xlsx"), cancellationToken);
        }).RequireAuthorization().RequireAntiforgeryToken().RequireRateLimiting(SecurityHosting.ExportLimit);
        return app;
    }
}
