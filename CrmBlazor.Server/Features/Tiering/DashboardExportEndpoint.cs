using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Hosting;

namespace CrmBlazor.Server.Features.Tiering;

/// <summary>
/// The tier dashboard as a workbook (SPEC E3): a form POST with the antiforgery token to <c>/dashboard/tiers/export</c>;
/// one sheet of distributions, one of this month's tier movements, within the caller's scope; audited with its sheets
/// and month. Cells never start with a formula character.
/// </summary>
public static class DashboardExportEndpoint
{
    public const string Path = "/dashboard/tiers/export";

    public static WebApplication MapTierDashboardExport(this WebApplication app)
    {
        app.MapPost(Path, async (TierDashboard dashboard, AuditLog audit, ICurrentUser user, Permissions permissions, CompanyClock clock, CancellationToken cancellationToken) =>
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
            var distributions = data.Distributions.SelectMany(d => d.Value.OrderByDescending(v => v.Value).Select(v => new Dictionary<string, object?>
            {
                ["Dimension"] = d.Key.ToString(),
                ["Value"] = ExcelText.Neutralize(v.Key),
                ["Customers"] = v.Value,
            })).ToList();
            var movements = data.MovementsThisMonth.Select(m => new Dictionary<string, object?>
            {
                ["From"] = ExcelText.Neutralize(m.From ?? ""),
                ["To"] = ExcelText.Neutralize(m.To ?? ""),
                ["Customers"] = m.Customers,
            }).ToList();
            var sheets = new Dictionary<string, object> { ["Distribution"] = distributions, ["MovementsThisMonth"] = movements };
            await audit.RecordAsync(AuditAction.Export, "TierDashboard", $"{distributions.Count} rows", user.UserId, user.DisplayName,
            [
                new FieldChange("Dashboard", null, "tiers"),
                new FieldChange("Filter", null, "{}"), // the whole of the caller's scope
                new FieldChange("Month", null, clock.Today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)),
                new FieldChange("Sheets", null, string.Join(", ", sheets.Keys)),
            ], cancellationToken);
            return await ExcelCells.FileAsync(sheets, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tier-dashboard-{clock.Now:yyyyMMdd}.xlsx"), cancellationToken);
        }).RequireAuthorization().RequireAntiforgeryToken().RequireRateLimiting(SecurityHosting.ExportLimit);
        return app;
    }
}
