using System.Net;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Notifications;
using CrmBlazor.Server.Features.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Approvals;

/// <summary>SPEC A4: the approval queue, and a large export that waits for it and then runs once.</summary>
public sealed class ApprovalTests
{
    [Fact]
    public async Task A_request_reaches_the_approvers_a_rejection_needs_a_reason_nobody_approves_their_own_and_an_approval_is_carried_out_once()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 3);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var admin = await harness.DemoUserAsync("demo-admin");
        var rep = await harness.DemoUserAsync("demo-salesrep");

        var first = await harness.Get<ApprovalService>(supervisor).RequestAsync(ApprovalSummary.Export(9000), "{}");
        var second = await harness.Get<ApprovalService>(supervisor).RequestAsync(ApprovalSummary.Export(12000), "{}");

        Assert.Equal([NotificationKinds.ApprovalRequested, NotificationKinds.ApprovalRequested], (await harness.Get<NotificationService>(admin).MineAsync()).Select(n => n.Kind));
        Assert.Empty(await harness.Get<NotificationService>(supervisor).MineAsync());
        Assert.Empty(await harness.Get<ApprovalService>(rep).PendingAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<ApprovalService>(rep).DecideAsync(first.Id, first.Version, true, null));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<ApprovalService>(supervisor).DecideAsync(first.Id, first.Version, true, null));
        await Assert.ThrowsAsync<ValidationFailedException>(() => harness.Get<ApprovalService>(admin).DecideAsync(second.Id, second.Version, false, " "));

        await harness.Get<ApprovalService>(admin).DecideAsync(first.Id, first.Version, true, null);
        await harness.Get<ApprovalService>(admin).DecideAsync(second.Id, second.Version, false, "范围过大，请按行业分批导出");

        var told = await harness.Get<NotificationService>(supervisor).MineAsync();
        Assert.Equal([NotificationKinds.ApprovalApproved, NotificationKinds.ApprovalRejected], told.Select(n => n.Kind).Order());
        Assert.Contains(told, n => n.Values.Contains("范围过大，请按行业分批导出"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => harness.Get<ApprovalService>(admin).DecideAsync(first.Id, first.Version + 1, false, "改主意"));
        Assert.Null(await harness.Get<ApprovalService>(admin).ClaimAsync(first.Id, ApprovalKinds.CustomerExport)); // only the requester carries it out
        Assert.Null(await harness.Get<ApprovalService>(supervisor).ClaimAsync(second.Id, ApprovalKinds.CustomerExport)); // rejected
        var claims = await Task.WhenAll(harness.Get<ApprovalService>(supervisor).ClaimAsync(first.Id, ApprovalKinds.CustomerExport),
            harness.Get<ApprovalService>(supervisor).ClaimAsync(first.Id, ApprovalKinds.CustomerExport));
        Assert.Single(claims, c => c is not null);
        Assert.Equal(ApprovalStatus.Completed, (await harness.Get<ApprovalService>(supervisor).MineAsync()).Single(r => r.Id == first.Id).Status);
    }

    [Fact]
    public async Task A_large_export_asks_for_approval_first_then_downloads_once_with_the_approved_filter()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = new CrmAppFactory(database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false", ["Export:ApprovalRows"] = "3" });
        using var supervisor = await app.SignedInClientAsync("demo-supervisor");
        var filter = new CustomerFilter { Statuses = ["active"] };

        var asked = await supervisor.PostFormAsync(ExportEndpoint.Path, ExportEndpoint.FormFor(filter, ["客户名称", "状态"]));

        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        Assert.Equal("/approvals", asked.Headers.Location?.OriginalString);
        Guid requestId;
        int expected;
        await using (var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System))
        {
            var request = await db.ApprovalRequests.SingleAsync();
            Assert.Equal(ApprovalStatus.Pending, request.Status);
            requestId = request.Id;
            expected = await db.Customers.CountAsync(c => c.Status == "active");
        }
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostFormAsync(ExportEndpoint.Path, ExportEndpoint.FormFor(requestId))).StatusCode); // not approved yet
        await using (var scope = app.Services.CreateAsyncScope())
        await using (var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System))
        {
            CrmAppFactory.ActAs(scope, db, "demo-admin");
            var request = await db.ApprovalRequests.AsNoTracking().SingleAsync();
            await scope.ServiceProvider.GetRequiredService<ApprovalService>().DecideAsync(request.Id, request.Version, true, "同意");
        }

        var download = await supervisor.PostFormAsync(ExportEndpoint.Path, ExportEndpoint.FormFor(requestId));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var workbook = new MemoryStream(await download.Content.ReadAsByteArrayAsync());
        var rows = workbook.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(expected, rows.Count);
        Assert.All(rows, r => Assert.Equal("活跃", r["状态"]));
        Assert.Equal(new HashSet<string> { "客户编号", "客户名称*", "状态" }, rows[0].Keys.ToHashSet()); // the approved columns, and the number
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostFormAsync(ExportEndpoint.Path, ExportEndpoint.FormFor(requestId))).StatusCode); // once
        await using var check = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System);
        var audited = await check.AuditEntries.SingleAsync(a => a.Action == CrmBlazor.Domain.Auditing.AuditAction.Export);
        Assert.Contains(requestId.ToString(), audited.Changes, StringComparison.Ordinal); // the approval it ran under
        Assert.Contains("客户名称, 状态", System.Text.RegularExpressions.Regex.Unescape(audited.Changes!), StringComparison.Ordinal);
    }
}
