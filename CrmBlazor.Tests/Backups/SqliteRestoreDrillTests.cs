using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Backups;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static CrmBlazor.Tests.Backups.BackupTestFiles;

namespace CrmBlazor.Tests.Backups;

/// <summary>SPEC I2, issue 14: the restore drill on SQLite, through the service that backs up and the command that restores.</summary>
public sealed class SqliteRestoreDrillTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 10, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Backing_up_the_open_database_then_changing_and_deleting_data_and_restoring_gives_every_table_its_rows_and_checksum_back()
    {
        using var files = new BackupTestFiles();
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 30, Time, files.Options());
        var admin = await harness.DemoUserAsync("demo-admin");
        var path = DatabasePath(harness.Database.Settings);

        // The running app: a connection open through the backup, so the last commits sit in the WAL, not yet in the file.
        var app = OpenLikeTheApp(path);
        Execute(app, "UPDATE \"Customers\" SET \"Version\" = \"Version\" + 1");
        Assert.True(new FileInfo(path + "-wal").Length > 0);
        var before = await TableFingerprints.OfAsync(harness.Database.Settings);

        var run = await harness.Get<BackupService>(admin).BackupNowAsync();
        Assert.Equal(BackupOutcome.Succeeded, run.Outcome);
        Assert.Equal("crmblazor-20260310-030000Z.db", run.FileName);

        Execute(app, """
            PRAGMA foreign_keys=OFF;
            DELETE FROM "Interactions";
            DELETE FROM "Contacts" WHERE rowid % 2 = 0;
            UPDATE "Customers" SET "Version" = "Version" + 1;
            DELETE FROM "CustomerTags";
            DELETE FROM "Orders";
            """);
        var damaged = await TableFingerprints.OfAsync(harness.Database.Settings);
        Assert.True(before["Contacts"].Rows > 0 && before["Customers"].Rows > 0);
        foreach (var table in new[] { "Interactions", "Contacts", "Customers", "CustomerTags", "Orders" }.Where(t => before[t].Rows > 0))
        {
            Assert.NotEqual(before[table], damaged[table]);
        }
        app.Dispose();

        var restore = Restore(path, Path.Combine(files.Folder, run.FileName!));

        Assert.Equal(RestoreCommand.Restored, restore.Code);
        Assert.Contains(run.FileName!, restore.Output, StringComparison.Ordinal);
        var after = await TableFingerprints.OfAsync(harness.Database.Settings);
        Assert.Equal(before.Keys, after.Keys);
        Assert.True(before.Count > 40);
        // The backup's own run row was written (Running) just before the snapshot: the one table the drill expects to differ.
        Assert.Equal(0, before["BackupRuns"].Rows);
        Assert.Equal(1, after["BackupRuns"].Rows);
        foreach (var table in before.Keys.Where(t => t != "BackupRuns"))
        {
            Assert.Equal(before[table], after[table]);
        }
    }

    [Fact]
    public async Task The_restore_command_refuses_while_the_app_has_the_database_open_and_restores_with_force()
    {
        using var files = new BackupTestFiles();
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 10, Time, files.Options());
        var admin = await harness.DemoUserAsync("demo-admin");
        var path = DatabasePath(harness.Database.Settings);
        var run = await harness.Get<BackupService>(admin).BackupNowAsync();
        using var app = OpenLikeTheApp(path);
        var contacts = Count(app, "Contacts");
        Execute(app, "PRAGMA foreign_keys=OFF; DELETE FROM \"Contacts\";");

        var refused = Restore(path, Path.Combine(files.Folder, run.FileName!));

        Assert.True(refused.Code == RestoreCommand.InUse, refused.Errors);
        Assert.Contains("--force", refused.Errors, StringComparison.Ordinal);
        Assert.Equal(0, Count(app, "Contacts"));

        var forced = Restore(path, Path.Combine(files.Folder, run.FileName!), force: true);

        Assert.Equal(RestoreCommand.Restored, forced.Code);
        Assert.True(contacts > 0);
        Assert.Equal(contacts, Count(app, "Contacts"));
    }

    [Fact]
    public void The_restore_command_refuses_a_file_that_is_not_a_SQLite_database()
    {
        using var files = new BackupTestFiles();
        Directory.CreateDirectory(files.Folder);
        var notABackup = Path.Combine(files.Folder, "crmblazor-20260310-030000Z.db");
        File.WriteAllText(notABackup, "not a database");
        var target = Path.Combine(files.Folder, "target.db");

        var result = Restore(target, notABackup);

        Assert.Equal(RestoreCommand.Failed, result.Code);
        Assert.Contains("nothing was restored", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void On_PostgreSQL_the_restore_command_prints_the_pg_restore_command_and_exits_non_zero()
    {
        var result = Restore("", "/backups/crm.dump", provider: "Postgres", connectionString: "Host=db.example;Port=5432;Username=crm;Database=crm");

        Assert.Equal(RestoreCommand.NotThisProvider, result.Code);
        Assert.Contains("pg_restore --clean --if-exists --no-owner --host db.example --port 5432 --username crm --dbname crm \"/backups/crm.dump\"",
            result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_an_Admin_may_see_or_take_backups()
    {
        using var files = new BackupTestFiles();
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, Time, files.Options());
        var rep = await harness.DemoUserAsync("demo-salesrep");

        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<BackupService>(rep).OverviewAsync());
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<BackupService>(rep).BackupNowAsync());
        Assert.Empty(BackupFiles.In(files.Folder));
    }
}
