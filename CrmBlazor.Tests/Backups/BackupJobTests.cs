using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Backups;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Backups;

/// <summary>SPEC I2, issue 14: the daily backup claimed once across instances, and the retention.</summary>
public sealed class BackupJobTests
{
    [Fact]
    public async Task The_daily_backup_at_the_configured_company_time_is_taken_once_across_two_hosts()
    {
        // 01:59 on 10 March 2026 in Shanghai is 17:59 UTC on the 9th.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 9, 17, 59, 0, TimeSpan.Zero));
        using var files = new BackupTestFiles();
        await using var first = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 5, time, files.Options(hour: 2));
        await using var second = DomainHarness.SecondHostOf(first, time, files.Options(hour: 2));

        Task<bool[]> BothHostsRunAsync() => Task.WhenAll(
            Task.Run(() => first.Get<BackupJob>(SystemUser.Instance).RunAsync()),
            Task.Run(() => second.Get<BackupJob>(SystemUser.Instance).RunAsync()));

        Assert.Equal(new[] { false, false }, await BothHostsRunAsync());
        Assert.Empty(BackupFiles.In(files.Folder));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(await BothHostsRunAsync(), claimed => claimed);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new[] { false, false }, await BothHostsRunAsync());

        var file = Assert.Single(BackupFiles.In(files.Folder));
        Assert.Equal("crmblazor-20260309-180000Z.db", file.Name);
        await using (var db = first.NewSystemContext())
        {
            var run = await db.BackupRuns.SingleAsync();
            Assert.Equal(("2026-03-10", BackupTrigger.Scheduled, BackupOutcome.Succeeded, file.Name, file.SizeBytes),
                (run.ScheduledDay, run.Trigger, run.Outcome, run.FileName, run.SizeBytes));
        }

        time.Advance(TimeSpan.FromDays(1));
        Assert.Single(await BothHostsRunAsync(), claimed => claimed);
        Assert.Equal(["crmblazor-20260310-180100Z.db", "crmblazor-20260309-180000Z.db"], BackupFiles.In(files.Folder).Select(f => f.Name));
    }

    [Fact]
    public async Task Retention_deletes_only_our_backups_older_than_KeepDays_and_leaves_other_files_alone()
    {
        // 01:00 in Shanghai: before the day's backup time, so the pass only applies the retention.
        var now = new DateTime(2026, 3, 9, 17, 0, 0, DateTimeKind.Utc);
        var time = new FakeTimeProvider(new DateTimeOffset(now));
        using var files = new BackupTestFiles();
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0, time, files.Options(keepDays: 7, hour: 2));
        Directory.CreateDirectory(Path.Combine(files.Folder, "older"));
        string[] expired = [BackupFiles.NameFor(now.AddDays(-30)), BackupFiles.NameFor(now.AddDays(-7).AddMinutes(-1))];
        string[] kept = [BackupFiles.NameFor(now.AddDays(-7).AddMinutes(1)), BackupFiles.NameFor(now.AddDays(-1)), BackupFiles.NameFor(now.AddHours(-1))];
        string[] foreign =
        [
            "crmblazor-notes.db", "customers.db", "crmblazor-20200101-000000.db", BackupFiles.NameFor(now.AddDays(-30)) + ".partial",
            BackupFiles.NameFor(now.AddDays(-30)) + ".bak", "before-upgrade-crmblazor-20200101-000000Z.db",
            Path.Combine("older", BackupFiles.NameFor(now.AddDays(-30))),
        ];
        foreach (var name in expired.Concat(kept).Concat(foreign))
        {
            var path = Path.Combine(files.Folder, name);
            await File.WriteAllTextAsync(path, "x");
            File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        }

        Assert.False(await harness.Get<BackupJob>(SystemUser.Instance).RunAsync());

        Assert.All(expired, name => Assert.False(File.Exists(Path.Combine(files.Folder, name)), name));
        Assert.All(kept.Concat(foreign), name => Assert.True(File.Exists(Path.Combine(files.Folder, name)), name));
        Assert.Equal(kept.Reverse(), BackupFiles.In(files.Folder).Select(f => f.Name));
    }
}
