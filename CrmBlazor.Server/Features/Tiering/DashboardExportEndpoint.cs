using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Server.Components.Shared;

namespace CrmBlazor.Server.Features.Tiering;

/// <summary>
/// The tier dashboard as a workbook (SPEC E3): one sheet of distributions, one of this month's tier
/// movements, within the caller's scope; audited. Cells never start with a formula character.
/// </summary>
public static class DashboardExportEndpoint
{
    public static WebApplication MapTierDashboardExport(this WebApplication app)
    {
        app.MapGet("/dashboard/tiers/export", async (TierDashboard dashboard, AuditLog audit, ICurrentUser user, Permissions permissions, CompanyClock clock, HttpContext http, CancellationToken cancellationToken) =>
        {
            TierDashboardData data;
            try
            {
                permissions.Demand(user, Module.Tiering, Operation.Export);
                data = await dashboard.LoadAsync(new CustomerFilter(), cancellationToken);
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
            await audit.RecordAsync(AuditAction.Export, "TierDashboard", $"{distributions.Count} rows", user.UserId, user.DisplayName, cancellationToken);
            return await ExcelCells.FileAsync(sheets, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"tier-dashboard-{clock.Now:yyyyMMdd}.xlsx"), cancellationToken);
        }).RequireAuthorization().RequireRateLimiting(Hosting.SecurityHosting.ExportLimit);
        return app;
    }
}
