using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// A context's connection set up for one large write transaction (an import batch: thousands of rows), and put back as
/// it was when disposed, since SQLite keeps these settings on the pooled connection. On SQLite in WAL mode the
/// connection commits with <c>synchronous=NORMAL</c> and checkpoints the WAL every 10,000 pages (40 MB) instead of
/// every 1,000: a commit then no longer waits for the disk, and the index pages every batch touches are copied to the
/// database file once every few batches instead of after each one (docs/decisions/0029). A crash of the process loses
/// nothing; a power cut can lose the last batches committed before it, whole, with the progress that names them, so
/// the run that resumes writes them again. Any other provider or journal mode: the connection is only kept open. While
/// the import runs, another connection's commit may find the WAL over SQLite's 1,000 pages and checkpoint it itself (up
/// to 40 MB). A connection whose settings could not be put back is dropped from the pool.
/// </summary>
public static class LargeWrites
{
    public const int WalPagesBetweenCheckpoints = 10_000;

    public static async Task<IAsyncDisposable> ForLargeWritesAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        var open = await database.KeepOpenAsync(cancellationToken);
        try
        {
            var connection = database.GetDbConnection();
            if (!database.IsSqlite()
                || !string.Equals(await ScalarAsync(connection, "PRAGMA journal_mode", cancellationToken), "wal", StringComparison.OrdinalIgnoreCase))
            {
                return open;
            }
            var before = $"PRAGMA synchronous={await ScalarAsync(connection, "PRAGMA synchronous", cancellationToken)}; "
                + $"PRAGMA wal_autocheckpoint={await ScalarAsync(connection, "PRAGMA wal_autocheckpoint", cancellationToken)};";
            try
            {
                await ScalarAsync(connection, $"PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint={WalPagesBetweenCheckpoints};", CancellationToken.None);
            }
            catch
            {
                Discard(connection); // half set, perhaps: this connection must not go back to the pool
                throw;
            }
            return new Restorer(connection, before, open);
        }
        catch
        {
            await open.DisposeAsync();
            throw;
        }
    }

    /// <summary>The pool drops this connection when it is closed, instead of handing it on with settings it should not keep.</summary>
    private static void Discard(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            SqliteConnection.ClearPool(sqlite);
        }
    }

    private static async Task<string?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Puts the connection's settings back (<paramref name="before"/>: the statements that do), then lets it close.</summary>
    private sealed class Restorer(DbConnection connection, string before, IAsyncDisposable open) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await ScalarAsync(connection, before, CancellationToken.None);
            }
#pragma warning disable CA1031 // The batch is done (committed or rolled back); what it threw, if anything, is the one to report.
            catch (Exception)
#pragma warning restore CA1031
            {
                Discard(connection);
            }
            finally
            {
                await open.DisposeAsync();
            }
        }
    }
}
