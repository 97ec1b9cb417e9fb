using System.Net;
using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Features.Importing;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Importing;

/// <summary>Issue 12, exports: the approval threshold cannot be sliced around — a rolling 24-hour quota per user.</summary>
public sealed class ExportQuotaTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Three_exports_of_2000_rows_in_one_rolling_day_the_third_asks_for_approval_and_runs_again_24_hours_later(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 10, 1, 0, 0, TimeSpan.Zero)); // 09:00 in Shanghai
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 3, time: clock);
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var colleague = await harness.DemoUserAsync("demo-salesrep");

        Assert.False(await harness.Get<ExportQuota>(supervisor).NeedsApprovalAsync(2000));
        await harness.Get<ExportQuota>(supervisor).RecordAsync(2000, null);
        clock.Advance(TimeSpan.FromHours(4));
        Assert.False(await harness.Get<ExportQuota>(supervisor).NeedsApprovalAsync(2000));
        await harness.Get<ExportQuota>(supervisor).RecordAsync(2000, null);
        clock.Advance(TimeSpan.FromHours(4));

        Assert.True(await harness.Get<ExportQuota>(supervisor).NeedsApprovalAsync(2000)); // 6,000 in a day: above 5,000
        Assert.False(await harness.Get<ExportQuota>(supervisor).NeedsApprovalAsync(1000)); // what is left of the day's 5,000
        Assert.False(await harness.Get<ExportQuota>(colleague).NeedsApprovalAsync(2000)); // per user
        Assert.True(await harness.Get<ExportQuota>(colleague).NeedsApprovalAsync(5001)); // one large export, as before

        // An approved export is recorded but does not count: the approver has seen those rows.
        await harness.Get<ExportQuota>(supervisor).RecordAsync(8000, Guid.NewGuid());
        Assert.Equal(4000, await harness.Get<ExportQuota>(supervisor).UsedAsync());

        // Rolling: 24 hours after the first export it has left the window, the second has not yet.
        clock.Advance(TimeSpan.FromHours(16));
        Assert.Equal(2000, await harness.Get<ExportQuota>(supervisor).UsedAsync());
        Assert.False(await harness.Get<ExportQuota>(supervisor).NeedsApprovalAsync(2000));
        clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(0, await harness.Get<ExportQuota>(supervisor).UsedAsync());
    }

    [Fact]
    public async Task Through_HTTP_the_export_that_passes_the_days_quota_asks_for_approval_and_a_day_later_downloads()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2031, 3, 10, 1, 0, 0, TimeSpan.Zero));
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        // 20 demo customers: two whole-list exports fit a quota of 50, the third does not.
        await using var app = new CrmAppFactory(database.Settings, time: clock, settings: new Dictionary<string, string?>
        {
            ["Jobs:Enabled"] = "false",
            ["Export:RowsPer24Hours"] = "50",
        });
        using var admin = await app.SignedInClientAsync("demo-admin");
        var form = ExportEndpoint.FormFor(new CrmBlazor.Domain.Customers.CustomerFilter());

        var first = await admin.PostFormAsync(ExportEndpoint.Path, form);
        clock.Advance(TimeSpan.FromHours(1));
        var second = await admin.PostFormAsync(ExportEndpoint.Path, form);
        clock.Advance(TimeSpan.FromHours(1));
        var third = await admin.PostFormAsync(ExportEndpoint.Path, form);
        clock.Advance(TimeSpan.FromHours(24));
        using var adminNextDay = await app.SignedInClientAsync("demo-admin"); // yesterday's sign-in outlived its 10 hours
        var nextDay = await adminNextDay.PostFormAsync(ExportEndpoint.Path, form);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);
        Assert.Equal("/approvals", third.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
        await using var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System);
        var request = await db.ApprovalRequests.SingleAsync();
        Assert.Equal((ApprovalKinds.CustomerExport, ApprovalStatus.Pending), (request.Kind, request.Status));
        Assert.Equal(3, await db.ExportRecords.CountAsync());
        Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.Action == CrmBlazor.Domain.Auditing.AuditAction.Export));
    }
}
