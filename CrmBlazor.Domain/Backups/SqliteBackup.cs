using Microsoft.Data.Sqlite;

namespace CrmBlazor.Domain.Backups;

/// <summary>The restore was refused: another connection (the running app, a sqlite3 shell) has the target database open.</summary>
public sealed class DatabaseInUseException(string path)
    : InvalidOperationException($"{path} is open in another process (the app is running?). Stop it first, or pass --force.")
{
    public string DatabasePath { get; } = path;
}

/// <summary>What a restore did.</summary>
public sealed record RestoreResult(string From, string Target, long BackupBytes, bool Forced);

/// <summary>
/// SQLite's online backup API (<c>sqlite3_backup</c>, <see cref="SqliteConnection.BackupDatabase(SqliteConnection)"/>), both
/// ways. Backing up reads a consistent snapshot of the live database, WAL content included, while the app keeps
/// writing (in WAL mode a reader does not block the writer); restoring writes pages through SQLite into the target, so
/// its journal and WAL stay consistent — never a file copy over a database that may be open.
/// </summary>
public static class SqliteBackup
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// Backs the database of <paramref name="sourceConnectionString"/> up to <paramref name="destinationPath"/>: written under a
    /// <c>.partial</c> name and renamed when complete, so the folder never holds a half-written file under a backup's name.
    /// </summary>
    /// <returns>The backup's size in bytes.</returns>
    /// <summary>
    /// Another connection (another instance claiming the same day, a page saving) may hold a lock for a moment while the
    /// copy starts: a busy or locked database is tried again a few times before the backup counts as failed.
    /// </summary>
    private static void CopyRetryingWhileBusy(SqliteConnection source, SqliteConnection copy)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                source.BackupDatabase(copy);
                return;
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked && attempt < 10)
            {
                Thread.Sleep(100 * attempt);
            }
        }
    }

    public static long BackUp(string sourceConnectionString, string destinationPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destinationPath))!);
        if (File.Exists(destinationPath))
        {
            throw new IOException($"{destinationPath} exists already.");
        }
        var partial = destinationPath + ".partial";
        File.Delete(partial);
        try
        {
            var destination = Unpooled(new SqliteConnectionStringBuilder { DataSource = partial }.ToString(), SqliteOpenMode.ReadWriteCreate);
            using (var source = new SqliteConnection(Unpooled(sourceConnectionString, SqliteOpenMode.ReadWrite)))
            using (var copy = new SqliteConnection(destination))
            {
                source.Open();
                copy.Open();
                CopyRetryingWhileBusy(source, copy);
            }
            // The copy's header says WAL, as the live database's does; reopened, it switches to a rollback journal, so the
            // backup is one self-contained file that any tool can open read-only. A restore into a WAL database stays WAL.
            using (var copy = new SqliteConnection(destination))
            {
                copy.Open();
                Execute(copy, "PRAGMA journal_mode=DELETE;");
            }
            File.Move(partial, destinationPath);
        }
        finally
        {
            File.Delete(partial);
        }
        return new FileInfo(destinationPath).Length;
    }

    /// <summary>
    /// Restores <paramref name="fromPath"/> into the database of <paramref name="targetConnectionString"/>. Unless
    /// <paramref name="force"/>, it first takes SQLite's exclusive lock on the target and keeps it for the restore: in WAL
    /// mode every open connection holds a shared lock on the database file for as long as it is open (the app's pooled
    /// connections included, idle or not), so the lock is refused exactly while some process has the database open —
    /// and a crashed app's leftover -wal file, which holds no lock, does not count.
    /// </summary>
    /// <exception cref="DatabaseInUseException">The target is open elsewhere and <paramref name="force"/> is false.</exception>
    /// <exception cref="InvalidDataException">The file is not a sound SQLite database.</exception>
    public static RestoreResult Restore(string fromPath, string targetConnectionString, bool force)
    {
        if (!File.Exists(fromPath))
        {
            throw new FileNotFoundException($"No backup at {fromPath}.", fromPath);
        }
        using var source = new SqliteConnection(Unpooled(new SqliteConnectionStringBuilder { DataSource = fromPath }.ToString(), SqliteOpenMode.ReadOnly));
        source.Open();
        CheckIntegrity(source, fromPath);

        var target = new SqliteConnectionStringBuilder(Unpooled(targetConnectionString, SqliteOpenMode.ReadWriteCreate));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target.DataSource))!);
        using var destination = new SqliteConnection(target.ToString());
        destination.Open();
        if (!force)
        {
            try
            {
                // Exclusive locking mode keeps the lock after COMMIT, until this connection closes after the restore. Set
                // before the first statement touches the file, so the WAL index is never shared with other connections.
                Execute(destination, "PRAGMA locking_mode=EXCLUSIVE;");
                Execute(destination, "BEGIN EXCLUSIVE;");
                Execute(destination, "COMMIT;");
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteBusy or SqliteLocked)
            {
                throw new DatabaseInUseException(target.DataSource);
            }
        }
        source.BackupDatabase(destination);
        return new RestoreResult(Path.GetFullPath(fromPath), Path.GetFullPath(target.DataSource), new FileInfo(fromPath).Length, force);
    }

    private static void CheckIntegrity(SqliteConnection connection, string path)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check";
            if (command.ExecuteScalar() as string != "ok")
            {
                throw new InvalidDataException($"{path} fails SQLite's integrity check.");
            }
        }
        catch (SqliteException ex)
        {
            throw new InvalidDataException($"{path} is not a SQLite database: {ex.Message}", ex);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Unpooled, so the file is really closed (and its lock given up) when the connection is disposed; a short busy wait.</summary>
    private static string Unpooled(string connectionString, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = mode, DefaultTimeout = 2 }.ToString();
}
