using System.Diagnostics;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Npgsql;

namespace CrmBlazor.Tests.Backups;

/// <summary>
/// SPEC I2, issue 14: PostgreSQL is backed up with its own tools. The README's commands — <c>pg_dump -Fc</c>, then
/// <c>pg_restore --clean --if-exists --no-owner</c> into a fresh database — give back every table, row for row.
/// </summary>
public sealed class PostgresBackupRoundTripTests
{
    [Fact]
    public async Task pg_dump_then_pg_restore_into_a_fresh_database_gives_every_table_its_rows_and_checksum()
    {
        await using var source = await TestDatabase.CreateSeededAsync(DatabaseProvider.Postgres, customers: 20, serviceDesk: true);
        await using var target = await TestDatabase.CreatePostgresAsync();
        var dump = Path.Combine(Path.GetTempPath(), $"crm-{Guid.NewGuid():N}.dump");
        try
        {
            var before = await TableFingerprints.OfAsync(source.Settings);

            await RunAsync("pg_dump", source.Settings, ["-Fc", "-f", dump]);
            await RunAsync("pg_restore", target.Settings, ["--clean", "--if-exists", "--no-owner", dump]);

            var after = await TableFingerprints.OfAsync(target.Settings);
            Assert.True(before.Count > 40);
            Assert.True(before["Customers"].Rows > 0 && before["Tickets"].Rows > 0 && before["AuditEntries"].Rows > 0);
            Assert.Equal(before.Keys, after.Keys);
            Assert.All(before.Keys, table => Assert.Equal(before[table], after[table]));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    /// <summary>Runs a PostgreSQL client tool against <paramref name="database"/>; fails (never skips) when the tool is missing.</summary>
    private static async Task RunAsync(string tool, DatabaseSettings database, IReadOnlyList<string> arguments)
    {
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var start = new ProcessStartInfo(ToolPath(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["--host", connection.Host!, "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", connection.Username!, "--dbname", connection.Database!, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        if (connection.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await errors}");
    }

    /// <summary>The newest installed version's tool, as test.sh finds initdb.</summary>
    private static string ToolPath(string tool)
    {
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, Path: Path.Combine(d, "bin", tool)))
                .Where(t => File.Exists(t.Path)).OrderBy(t => t.Version).Select(t => t.Path).LastOrDefault()
            : null;
        return found ?? throw new InvalidOperationException($"{tool} is not installed under /usr/lib/postgresql/*/bin (apt-get install postgresql-client).");
    }
}
