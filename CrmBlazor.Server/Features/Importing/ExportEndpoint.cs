using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Components.Shared;
using Microsoft.AspNetCore.WebUtilities;
using MiniExcelLibs;

namespace CrmBlazor.Server.Features.Importing;

/// <summary>
/// The customer list, as filtered on the page, to a workbook (SPEC H3): <c>/customers/export?filter=…</c>
/// (the filter as base64url JSON). Above <c>Export:ApprovalRows</c> rows (default 5,000) it asks for an approval
/// instead (SPEC A4) and, once approved, runs once at <c>?approval={id}</c>. Streamed through a temporary file, so memory stays flat however many
/// rows; within the caller's scope; text cells neutralised; audited with the row count.
/// </summary>
public static class ExportEndpoint
{
    private static readonly SemaphoreSlim Running = new(2);

    /// <summary>What an approved large export runs: the filter and the chosen columns.</summary>
    public sealed record Payload(CustomerFilter Filter, IReadOnlyList<string>? Columns);

    public static string UrlFor(CustomerFilter filter, IReadOnlyCollection<string>? columns = null) =>
        "/customers/export?filter=" + WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(filter))
        + (columns is { Count: > 0 } ? "&columns=" + WebEncoders.Base64UrlEncode(JsonSerializer.SerializeToUtf8Bytes(columns)) : "");

    public static WebApplication MapCustomerExport(this WebApplication app)
    {
        app.MapGet("/customers/export", async (string? filter, string? columns, Guid? approval, CustomerExport export, CustomerQueries customers, ApprovalService approvals,
            Permissions permissions, ICurrentUser user, AuditLog audit, CompanyClock clock, Microsoft.Extensions.Configuration.IConfiguration configuration, CancellationToken cancellationToken) =>
        {
            if (!permissions.IsAllowed(user, Module.Customers, Operation.Export))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }
            CustomerFilter parsed;
            IReadOnlyList<string>? chosen = null;
            if (approval is { } approvalId)
            {
                // An approved large export runs once, for its requester, with the filter that was approved.
                var claimed = await approvals.ClaimAsync(approvalId, ApprovalKinds.CustomerExport, cancellationToken);
                if (claimed is null)
                {
                    return Results.Conflict("This export is not approved, or has been downloaded already.");
                }
                var payload = JsonSerializer.Deserialize<Payload>(claimed.Payload);
                (parsed, chosen) = payload?.Filter is { } approvedFilter
                    ? (approvedFilter, payload.Columns)
                    : (JsonSerializer.Deserialize<CustomerFilter>(claimed.Payload) ?? new CustomerFilter(), null); // requested before columns could be chosen
            }
            else
            {
                try
                {
                    parsed = filter is null ? new CustomerFilter() : JsonSerializer.Deserialize<CustomerFilter>(WebEncoders.Base64UrlDecode(filter)) ?? new CustomerFilter();
                    chosen = columns is null ? null : JsonSerializer.Deserialize<List<string>>(WebEncoders.Base64UrlDecode(columns));
                }
                catch (Exception ex) when (ex is JsonException or FormatException)
                {
                    return Results.BadRequest("The filter could not be read.");
                }
                var count = await customers.CountAsync(parsed, cancellationToken);
                if (count > configuration.GetValue("Export:ApprovalRows", 5000))
                {
                    await approvals.RequestAsync(ApprovalKinds.CustomerExport, $"导出 {count:N0} 个客户 / export {count:N0} customers", JsonSerializer.Serialize(new Payload(parsed, chosen)), cancellationToken);
                    return Results.Redirect("/approvals");
                }
            }
            var path = Path.Combine(Path.GetTempPath(), $"crm-export-{Guid.NewGuid():N}.xlsx");
            var rows = 0;
            var cells = export.RowsAsync(parsed, chosen, cancellationToken).ToBlockingEnumerable(cancellationToken).Select(row =>
            {
                rows++;
                return row.ToDictionary(c => ExcelText.Neutralize(c.Key), c => c.Value is string text ? ExcelText.Neutralize(text) : c.Value);
            });
            // The writer blocks a pool thread for the whole export: a couple at a time, the rest wait their turn.
            await Running.WaitAsync(cancellationToken);
            try
            {
                await Task.Run(() => MiniExcel.SaveAs(path, cells), cancellationToken);
                await audit.RecordAsync(AuditAction.Export, "Customers", $"{rows} rows", user.UserId, user.DisplayName, cancellationToken);
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
        }).RequireAuthorization().RequireRateLimiting(Hosting.SecurityHosting.ExportLimit);
        return app;
    }
}
