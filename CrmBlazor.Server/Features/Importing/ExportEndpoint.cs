using System.Text.Json;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Components.Shared;
using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;

namespace CrmBlazor.Server.Features.Importing;

/// <summary>
/// The customer list, as filtered on the page, to a workbook (SPEC H3): a form POST to <c>/customers/export</c> with
/// the antiforgery token, <c>filter</c> (JSON) and optionally <c>columns</c> (JSON array). Whether it runs now or waits
/// for an approval (a large export, or the user's rolling 24-hour quota spent) is <see cref="CustomerExportPlanner"/>'s
/// decision; once approved it runs once, posted with <c>approval</c>. Streamed through a temporary file, so memory
/// stays flat however many rows; within the caller's scope; text cells neutralised; audited with filter, columns and rows.
/// </summary>
public static class ExportEndpoint
{
    public const string Path = "/customers/export";

    private static readonly SemaphoreSlim Running = new(2);

    /// <summary>The form fields (besides the token) that export <paramref name="filter"/> with <paramref name="columns"/> (null: all).</summary>
    public static Dictionary<string, string> FormFor(CustomerFilter filter, IReadOnlyCollection<string>? columns = null)
    {
        var fields = new Dictionary<string, string> { ["filter"] = JsonSerializer.Serialize(filter) };
        if (columns is { Count: > 0 })
        {
            fields["columns"] = JsonSerializer.Serialize(columns);
        }
        return fields;
    }

    /// <summary>The form field that downloads an approved export.</summary>
    public static Dictionary<string, string> FormFor(Guid approvalId) => new() { ["approval"] = approvalId.ToString() };

    public static WebApplication MapCustomerExport(this WebApplication app)
    {
        app.MapPost(Path, async ([FromForm] string? filter, [FromForm] string? columns, [FromForm] Guid? approval, CustomerExport export, CustomerExportPlanner planner,
            CompanyClock clock, IStringLocalizer<SharedResource> texts, CancellationToken cancellationToken) =>
        {
            CustomerExportPlan plan;
            try
            {
                if (approval is { } approvalId)
                {
                    var approved = await planner.StartApprovedAsync(approvalId, cancellationToken);
                    if (approved is null)
                    {
                        return Results.Conflict(texts["Export.NotApproved"].Value);
                    }
                    plan = approved;
                }
                else
                {
                    CustomerFilter parsed;
                    List<string>? chosen;
                    try
                    {
                        parsed = filter is null ? new CustomerFilter() : JsonSerializer.Deserialize<CustomerFilter>(filter) ?? new CustomerFilter();
                        chosen = columns is null ? null : JsonSerializer.Deserialize<List<string>>(columns);
                    }
                    catch (JsonException)
                    {
                        return Results.BadRequest(texts["Export.BadFilter"].Value);
                    }
                    switch (await planner.StartAsync(parsed, chosen, cancellationToken))
                    {
                        case CustomerExportStart.AwaitsApproval:
                            return Results.Redirect("/approvals");
                        case CustomerExportStart.Run run:
                            plan = run.Plan;
                            break;
                        default:
                            throw new InvalidOperationException("Unknown export start.");
                    }
                }
            }
            catch (AccessDeniedException)
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"crm-export-{Guid.NewGuid():N}.xlsx");
            var rows = 0;
            var cells = export.RowsAsync(plan.Filter, plan.Columns, cancellationToken).ToBlockingEnumerable(cancellationToken).Select(row =>
            {
                rows++;
                return row.ToDictionary(c => ExcelText.Neutralize(c.Key), c => c.Value is string text ? ExcelText.Neutralize(text) : c.Value);
            });
            // The writer blocks a pool thread for the whole export: a couple at a time, the rest wait their turn.
            await Running.WaitAsync(cancellationToken);
            try
            {
                await Task.Run(() => MiniExcel.SaveAs(path, cells), cancellationToken);
                await planner.RecordAsync(plan, rows, cancellationToken);
            }
            catch
            {
                File.Delete(path); // a cancelled or failed export leaves no customer data behind
                throw;
            }
            finally
            {
                Running.Release();
            }
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            return Results.File(file, ExcelCells.ContentType, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"customers-{clock.Now:yyyyMMdd-HHmm}.xlsx"));
        }).RequireAuthorization().RequireAntiforgeryToken().RequireRateLimiting(SecurityHosting.ExportLimit);
        return app;
    }
}
