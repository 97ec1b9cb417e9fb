using System.Net;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>The README's run command, as a newcomer types it (built already, so --no-build).</summary>
[Trait("Category", "E2E")]
public sealed class RunCommandTests
{
    [Fact]
    public async Task The_run_command_serves_the_sign_in_page_and_is_ready_with_no_other_set_up()
    {
        var project = Path.Combine(TestServices.RepositoryRoot, "CrmBlazor.Server");
        await using var app = await AppProcess.StartAsync(
            $"run --project \"{project}\" --no-build -c {TestServices.BuildConfiguration} --no-launch-profile",
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        var ready = await http.GetAsync("health/ready");
        var home = await http.GetAsync("/");
        var signIn = await http.GetStringAsync(home.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("data-user=\"demo-salesrep\"", signIn, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "App_Data", "crm.db")), "the SQLite file was not created under CrmBlazor.Server/App_Data");
    }
}
