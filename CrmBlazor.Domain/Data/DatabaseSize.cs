using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// How large the database is, the way each provider counts it (the status page, SPEC I1): SQLite — the database file
/// plus its write-ahead log on disk; PostgreSQL — <c>pg_database_size</c>; SQL Server — the data and log files of
/// <c>sys.database_files</c> (allocated pages × 8 KB).
/// </summary>
public static class DatabaseSize
{
    public static async Task<long> MeasureAsync(DatabaseSettings settings, CrmDbContext db, CancellationToken cancellationToken = default)
    {
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                var file = new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
                if (File.Exists(file))
                {
                    return new FileInfo(file).Length + (File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0);
                }
                return await ScalarAsync(db, "SELECT page_count * page_size AS \"Value\" FROM pragma_page_count(), pragma_page_size()", cancellationToken);
            case DatabaseProvider.Postgres:
                return await ScalarAsync(db, "SELECT pg_database_size(current_database()) AS \"Value\"", cancellationToken);
            case DatabaseProvider.SqlServer:
                return await ScalarAsync(db, "SELECT SUM(CAST(size AS bigint)) * 8192 AS [Value] FROM sys.database_files", cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown database provider {settings.Provider}.");
        }
    }

    private static async Task<long> ScalarAsync(CrmDbContext db, string sql, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<long>(sql).ToListAsync(cancellationToken)).Single();
}
