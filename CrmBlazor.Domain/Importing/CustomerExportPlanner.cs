using System.Globalization;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Customers;

namespace CrmBlazor.Domain.Importing;

/// <summary>What a customer export writes: the filter, the chosen columns (null: all), and the approval it runs under.</summary>
public sealed record CustomerExportPlan(CustomerFilter Filter, IReadOnlyList<string>? Columns, Guid? ApprovalId = null);

/// <summary>How a customer export starts: it runs now, or it waits for the approval it has requested.</summary>
public abstract record CustomerExportStart
{
    public sealed record Run(CustomerExportPlan Plan) : CustomerExportStart;
    public sealed record AwaitsApproval(Guid RequestId) : CustomerExportStart;
}

/// <summary>
/// The decisions around a customer export (SPEC H3, A4; issue 12): whether the caller may export, whether this
/// export waits for an approval (<see cref="ExportQuota"/>), what an approval carries and runs once, and what the
/// audit log keeps of it — the filter, the columns and the rows. The endpoint only moves bytes.
/// </summary>
public sealed class CustomerExportPlanner(CustomerQueries customers, ExportQuota quota, ApprovalService approvals, Permissions permissions,
    ICurrentUser currentUser, AuditLog audit)
{
    /// <summary>What an approval request for an export carries.</summary>
    public sealed record Payload(CustomerFilter Filter, IReadOnlyList<string>? Columns);

    public async Task<CustomerExportStart> StartAsync(CustomerFilter filter, IReadOnlyList<string>? columns, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Export);
        var count = await customers.CountAsync(filter, cancellationToken);
        if (await quota.NeedsApprovalAsync(count, cancellationToken))
        {
            var request = await approvals.RequestAsync(ApprovalSummary.Export(count), JsonSerializer.Serialize(new Payload(filter, columns)), cancellationToken);
            return new CustomerExportStart.AwaitsApproval(request.Id);
        }
        await quota.RecordAsync(count, null, cancellationToken);
        return new CustomerExportStart.Run(new CustomerExportPlan(filter, columns));
    }

    /// <summary>An approved export, for its requester, once, with the filter and columns that were approved; null when there is none to run.</summary>
    public async Task<CustomerExportPlan?> StartApprovedAsync(Guid approvalId, CancellationToken cancellationToken = default)
    {
        permissions.Demand(currentUser, Module.Customers, Operation.Export);
        var claimed = await approvals.ClaimAsync(approvalId, ApprovalKinds.CustomerExport, cancellationToken);
        if (claimed is null)
        {
            return null;
        }
        var payload = JsonSerializer.Deserialize<Payload>(claimed.Payload);
        var plan = payload?.Filter is { } approvedFilter
            ? new CustomerExportPlan(approvedFilter, payload.Columns, approvalId)
            : new CustomerExportPlan(JsonSerializer.Deserialize<CustomerFilter>(claimed.Payload) ?? new CustomerFilter(), null, approvalId); // requested before columns could be chosen
        await quota.RecordAsync(await customers.CountAsync(plan.Filter, cancellationToken), approvalId, cancellationToken);
        return plan;
    }

    /// <summary>The audit entry of a written export: the row count, and in its details the filter, the columns and the approval.</summary>
    public Task RecordAsync(CustomerExportPlan plan, int rows, CancellationToken cancellationToken = default) =>
        audit.RecordAsync(AuditAction.Export, "Customers", string.Create(CultureInfo.InvariantCulture, $"{rows} rows"), currentUser.UserId, currentUser.DisplayName,
        [
            new FieldChange(Details.Filter, null, JsonSerializer.Serialize(plan.Filter, AuditJson)),
            new FieldChange(Details.Columns, null, plan.Columns is { Count: > 0 } ? string.Join(", ", plan.Columns) : Details.AllColumns),
            new FieldChange(Details.Rows, null, rows.ToString(CultureInfo.InvariantCulture)),
            new FieldChange(Details.Approval, null, plan.ApprovalId?.ToString()),
        ], cancellationToken);

    /// <summary>The field names an export's audit entry uses for what it covered.</summary>
    public static class Details
    {
        public const string Filter = "Filter";
        public const string Columns = "Columns";
        public const string Rows = "Rows";
        public const string Approval = "Approval";
        public const string AllColumns = "(all)";
    }

    /// <summary>Only what was set: an audit reader sees the filter the user chose, not every default.</summary>
    private static readonly JsonSerializerOptions AuditJson = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
