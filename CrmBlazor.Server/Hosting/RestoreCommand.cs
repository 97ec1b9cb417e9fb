using CrmBlazor.Domain.Backups;
using CrmBlazor.Domain.Data;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// <c>dotnet CrmBlazor.Server.dll restore --from FILE [--force]</c> (SPEC I2), handled before the web host starts: restores
/// a backup file into the configured SQLite database through SQLite's backup API, refusing while the database is open
/// in another process (the running app) unless <c>--force</c>. Other arguments (<c>--environment</c>,
/// <c>--ConnectionStrings:Sqlite=…</c>) configure it as they would the app. For PostgreSQL and SQL Server it prints
/// the native command and exits non-zero: those databases are restored with their own tools. Operator text, English only.
/// </summary>
public static class RestoreCommand
{
    public const int Restored = 0;
    public const int InUse = 1;
    public const int Usage = 2;
    public const int NotThisProvider = 3;
    public const int Failed = 4;

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "restore";

    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        string? from = null;
        var force = false;
        var hostArgs = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from" when i + 1 < args.Length:
                    from = args[++i];
                    break;
                case "--force":
                    force = true;
                    break;
                default:
                    hostArgs.Add(args[i]);
                    break;
            }
        }
        if (from is null)
        {
            errors.WriteLine("Usage: dotnet CrmBlazor.Server.dll restore --from FILE [--force]");
            return Usage;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. hostArgs] });
        var database = DataHosting.DatabaseSettingsFrom(builder.Configuration, builder.Environment.ContentRootPath);
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            errors.WriteLine($"The app restores SQLite only. Restore {database.Provider} with its own tool:");
            errors.WriteLine(NativeRestoreCommand(database, Path.GetFullPath(from)));
            return NotThisProvider;
        }
        try
        {
            var result = SqliteBackup.Restore(from, database.ConnectionString, force);
            output.WriteLine($"Restored {result.From} ({result.BackupBytes} bytes) into {result.Target}{(result.Forced ? " (--force: without checking that the database was closed)" : "")}.");
            output.WriteLine("Start the app: it applies any migrations newer than the backup on start.");
            return Restored;
        }
        catch (DatabaseInUseException ex)
        {
            errors.WriteLine($"Refused: {ex.Message}");
            return InUse;
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or IOException or Microsoft.Data.Sqlite.SqliteException)
        {
            errors.WriteLine($"Restore failed, nothing was restored: {ex.Message}");
            return Failed;
        }
    }

    /// <summary>The native restore for <paramref name="database"/>'s server and database (no password: the tool asks or reads its own file).</summary>
    public static string NativeRestoreCommand(DatabaseSettings database, string file) => database.Provider switch
    {
        DatabaseProvider.Postgres => PostgresRestore(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString), file),
        DatabaseProvider.SqlServer => SqlServerRestore(new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(database.ConnectionString), file),
        _ => $"dotnet CrmBlazor.Server.dll restore --from \"{file}\"",
    };

    private static string PostgresRestore(Npgsql.NpgsqlConnectionStringBuilder c, string file) =>
        $"pg_restore --clean --if-exists --no-owner --host {c.Host} --port {c.Port} --username {c.Username} --dbname {c.Database} \"{file}\"";

    private static string SqlServerRestore(Microsoft.Data.SqlClient.SqlConnectionStringBuilder c, string file) =>
        $"sqlcmd -S \"{c.DataSource}\" -Q \"RESTORE DATABASE [{c.InitialCatalog}] FROM DISK = N'{file}' WITH REPLACE\"";
}
