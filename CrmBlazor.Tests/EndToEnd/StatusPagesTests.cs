using System.Text.RegularExpressions;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC I1 in Chromium: Admin's status page shows this instance's open circuits (the page's own among them)
/// and the minute jobs' runs, and refreshes itself; Admin backs up from it and sees the last backup; in both languages.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed partial class StatusPagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admin_sees_circuits_and_job_runs_of_this_instance_in_Chinese_and_English()
    {
        // Its own app with the minute jobs on (the collection's app runs none): they run once at start-up, then every minute.
        var databasePath = Path.Combine(Path.GetTempPath(), $"crm-e2e-status-{Guid.NewGuid():N}.db");
        var backups = Directory.CreateTempSubdirectory("crm-e2e-backups-").FullName;
        try
        {
            await using var app = await AppProcess.StartBuiltServerAsync(databasePath, new Dictionary<string, string> { ["Jobs__Enabled"] = "true", ["Backup__Path"] = backups });
            foreach (var (locale, suffix, title) in new[] { ("zh-CN", "zh", "运行状态"), ("en", "en", "Instance status") })
            {
                await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
                {
                    BaseURL = app.BaseAddress.ToString(),
                    Locale = locale,
                    ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = locale },
                    ViewportSize = new ViewportSize { Width = 1366, Height = 820 },
                });
                var page = await context.NewPageAsync();
                await BrowserFixture.SignInAsync(page, "demo-admin");

                await page.GotoAsync("/admin/status");
                await BrowserFixture.WaitUntilInteractiveAsync(page);
                await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
                // The page's own circuit counts once the timer has re-read the status.
                await Assertions.Expect(page.Locator(".crm-status-circuits")).ToHaveTextAsync(AtLeastOne(), new() { Timeout = 15_000 });
                await Assertions.Expect(page.Locator(".crm-status-users")).ToHaveTextAsync(AtLeastOne());
                await Assertions.Expect(page.Locator(".crm-status-jobs tr[data-job='reminders'] .crm-job-succeeded")).ToBeVisibleAsync(new() { Timeout = 15_000 });
                await Assertions.Expect(page.Locator(".crm-status-jobs tr[data-job='ticket-sla'] .crm-job-succeeded")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator(".crm-status-jobs-off")).ToHaveCountAsync(0);
                if (suffix == "zh")
                {
                    // "Back up now" on the status page: confirmed, then the last backup names its size and the file is listed.
                    var files = Directory.GetFiles(backups, "crmblazor-*.db").Length;
                    await page.Locator(".crm-backup-now").ClickAsync();
                    await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "立即备份" }).ClickAsync();
                    await Assertions.Expect(page.Locator(".crm-backup-files tbody tr")).ToHaveCountAsync(files + 1, new() { Timeout = 15_000 });
                    Assert.Equal(files + 1, Directory.GetFiles(backups, "crmblazor-*.db").Length);
                }
                await Assertions.Expect(page.Locator(".crm-backup-last")).ToHaveTextAsync(LastBackup());
                await BrowserFixture.ScreenshotAsync(page, $"status-{suffix}");
            }
        }
        finally
        {
            foreach (var file in new[] { databasePath, databasePath + "-wal", databasePath + "-shm" })
            {
                File.Delete(file);
            }
            Directory.Delete(backups, recursive: true);
        }
    }

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex AtLeastOne();

    /// <summary>"最近一次备份：…，912 KB，…" / "Last backup: …, 912 KB, …": a backup with its size.</summary>
    [GeneratedRegex(@"(最近一次备份|Last backup).*\d+(\.\d+)? (KB|MB|GB)")]
    private static partial Regex LastBackup();
}
