using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Jobs;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Status;

/// <summary>SPEC I1, issue 14 "Status page": Admin sees this instance's status; everyone else is refused.</summary>
public sealed class StatusPageTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Admin_sees_the_instance_database_and_each_jobs_last_run_and_outcome()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        var runs = app.Services.GetRequiredService<JobRuns>();
        await runs.RunAsync("reminders", _ => Task.CompletedTask, CancellationToken.None);
        await runs.RunAsync("tiers", _ => throw new InvalidOperationException("tier rules unreadable"), CancellationToken.None);
        using var admin = await app.SignedInClientAsync("demo-admin");

        using var response = await admin.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains(Environment.MachineName, page, StringComparison.Ordinal);
        Assert.Contains("Sqlite", page, StringComparison.Ordinal);
        Assert.Contains("crm-status-circuits", page, StringComparison.Ordinal);
        Assert.Matches("data-job=\"reminders\"[^§]*?crm-job-succeeded", page);
        Assert.Matches("data-job=\"tiers\"[^§]*?crm-job-failed[^§]*?InvalidOperationException: tier rules unreadable", page);
        Assert.Contains("crm-status-jobs-off", page, StringComparison.Ordinal); // this host runs no jobs, and says so
    }

    [Theory]
    [InlineData("demo-supervisor")]
    [InlineData("demo-salesrep")]
    [InlineData("demo-analyst")]
    public async Task Everyone_but_Admin_is_refused(string demoUser)
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var client = await app.SignedInClientAsync(demoUser);

        using var response = await client.GetAsync("/admin/status");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/denied", response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.AbsolutePath : response.Headers.Location.OriginalString.Split('?')[0]);
    }
}
