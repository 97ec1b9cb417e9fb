using CrmBlazor.Domain.Backups;
using CrmBlazor.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CrmBlazor.Tests.Backups;

/// <summary>A test's own backup folder (removed on dispose), and the few SQLite and restore-command steps the backup tests share.</summary>
public sealed class BackupTestFiles : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"crm-backups-{Guid.NewGuid():N}");

    /// <summary>Points <c>Backup:Path</c> at <see cref="Folder"/>, with the given schedule and retention.</summary>
    public Action<IServiceCollection> Options(int keepDays = 14, int hour = 2) =>
        services => services.Configure<BackupOptions>(o =>
        {
            o.Path = Folder;
            o.KeepDays = keepDays;
            o.TimeOfDay = new TimeOnly(hour, 0);
        });

    public static string DatabasePath(CrmBlazor.Domain.Data.DatabaseSettings settings) =>
        new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;

    /// <summary>A connection as the running app holds one: open for as long as the app runs.</summary>
    public static SqliteConnection OpenLikeTheApp(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "SELECT count(*) FROM \"Customers\"");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Count(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM \"{table}\"";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Runs <c>restore --from FILE [--force]</c> as Program.cs would, with the database given as command-line settings.</summary>
    public static (int Code, string Output, string Errors) Restore(string databasePath, string from, bool force = false, string provider = "Sqlite",
        string? connectionString = null)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        List<string> args = ["restore", "--from", from];
        if (force)
        {
            args.Add("--force");
        }
        args.Add($"--Database:Provider={provider}");
        args.Add($"--ConnectionStrings:{provider}={connectionString ?? $"Data Source={databasePath}"}");
        var code = RestoreCommand.Run([.. args], output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
