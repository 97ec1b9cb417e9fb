using CrmBlazor.Domain.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrmBlazor.Tests.Infrastructure;

/// <summary>A fresh, empty database of one provider, removed again on dispose. Tests never share leftovers.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _drop;

    private TestDatabase(DatabaseSettings settings, Func<ValueTask> drop)
    {
        Settings = settings;
        _drop = drop;
    }

    public DatabaseSettings Settings { get; }

    public static Task<TestDatabase> CreateAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => Task.FromResult(CreateSqlite()),
        DatabaseProvider.Postgres => CreatePostgresAsync(),
        _ => throw new NotSupportedException($"No test server for {provider}: its migrations are checked by script generation."),
    };

    public static TestDatabase CreateSqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"crm-test-{Guid.NewGuid():N}.db");
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        return new TestDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, connection), () =>
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var admin = TestServices.PostgresAdminConnection;
        var name = $"crm_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var settings = new DatabaseSettings(DatabaseProvider.Postgres, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString());
        return new TestDatabase(settings, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
    }

    /// <summary>
    /// Migrated and seeded with the demo users and <paramref name="customers"/> demo customers; without the demo service desk
    /// (support groups, tickets) unless asked, so ticket tests start from an empty desk of their own.
    /// </summary>
    public static async Task<TestDatabase> CreateSeededAsync(DatabaseProvider provider, int customers = 30, bool serviceDesk = false)
    {
        var database = await CreateAsync(provider);
        await DatabaseInitializer.InitializeAsync(database.Settings, TimeProvider.System, seedDemoData: true, customers,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, serviceDesk);
        return database;
    }

    public ValueTask DisposeAsync() => _drop();
}
