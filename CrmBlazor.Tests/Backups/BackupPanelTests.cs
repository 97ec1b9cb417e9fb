using System.Globalization;
using Bunit;
using CrmBlazor.Domain.Backups;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Features.Backups;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Layout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace CrmBlazor.Tests.Backups;

/// <summary>SPEC I2: Admin's "back up now" on the backups panel asks first, shows progress, then lists the new backup.</summary>
public sealed class BackupPanelTests : MudTestContext
{
    [Fact]
    public async Task Back_up_now_asks_for_confirmation_then_takes_a_backup_and_lists_it()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
        using var files = new BackupTestFiles();
        // The panel's clock (MudTestContext) and the service's: 2030-06-12 02:00 UTC, 10:00 in Shanghai.
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 6, 12, 2, 0, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 5, time, files.Options());
        var admin = await harness.DemoUserAsync("demo-admin");
        Services.AddSingleton(harness.Get<BackupService>(admin));

        var dialogs = Render<MudDialogProvider>();
        var panel = RenderWithPopovers<BackupPanel>();
        panel.WaitForAssertion(() => Assert.Contains("No backup has been taken yet.", panel.Markup, StringComparison.Ordinal));
        Assert.Contains("Runs every day at 02:00 (company time); backups are kept for 14 days.", panel.Markup, StringComparison.Ordinal);

        panel.Find(".crm-backup-now").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Take a backup of the database now?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(BackupFiles.In(files.Folder));
        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("Back up now", StringComparison.Ordinal)).Click();

        const string name = "crmblazor-20300612-020000Z.db";
        panel.WaitForAssertion(() => Assert.Contains(name, panel.Find(".crm-backup-files").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var file = Assert.Single(BackupFiles.In(files.Folder));
        Assert.Equal(name, file.Name);
        Assert.Contains("Last backup: 6/12/2030 10:00", panel.Find(".crm-backup-last").TextContent, StringComparison.Ordinal);
        Assert.Contains("6/12/2030 10:00", panel.Find(".crm-backup-files").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_PostgreSQL_the_panel_says_the_app_does_not_back_up_itself_and_offers_no_button()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await DatabaseInitializer.InitializeAsync(database.Settings, TimeProvider.System, seedDemoData: true, 0,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("zh-CN");
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(database.Settings);
        services.AddSingleton<CrmBlazor.Domain.Access.ICurrentUser>(CrmBlazor.Domain.Access.SystemUser.Instance);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<BackupService>());

        var panel = RenderWithPopovers<BackupPanel>();

        panel.WaitForAssertion(() => Assert.Contains("本应用只自动备份 SQLite 数据库。Postgres 数据库请使用其自带工具", panel.Find(".crm-backup-native").TextContent, StringComparison.Ordinal));
        Assert.Empty(panel.FindAll(".crm-backup-now"));
    }
}
