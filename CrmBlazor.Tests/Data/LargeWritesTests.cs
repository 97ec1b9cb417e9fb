using System.Data;
using System.Data.Common;
using System.Globalization;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Data;

/// <summary>
/// An import batch's connection commits without waiting for the disk and checkpoints less often on SQLite in WAL mode
/// (docs/decisions/0029), and the pooled connection gets its own settings back afterwards.
/// </summary>
public sealed class LargeWritesTests
{
    [Fact]
    public async Task On_sqlite_in_wal_mode_the_connection_relaxes_syncing_and_checkpoints_for_the_writes_and_gets_its_settings_back()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        await using var db = await ContextAsync(harness);
        // Held open around the scope, so the settings are read back on the very connection the scope changed.
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        var before = await SettingsAsync(connection);
        Assert.NotEqual("1", before.Synchronous);

        await using (await db.Database.ForLargeWritesAsync(CancellationToken.None))
        {
            // synchronous=NORMAL, and the longer checkpoint interval
            Assert.Equal(("1", LargeWrites.WalPagesBetweenCheckpoints.ToString(CultureInfo.InvariantCulture)), await SettingsAsync(connection));
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("UPDATE Customers SET Notes = 'written under the relaxed settings'");
            await transaction.CommitAsync();
        }

        Assert.Equal(ConnectionState.Open, connection.State);
        Assert.Equal(before, await SettingsAsync(connection));
        Assert.Equal(1, await db.Customers.CountAsync(c => c.Notes == "written under the relaxed settings"));
        await db.Database.CloseConnectionAsync();
    }

    [Fact]
    public async Task On_sqlite_with_a_rollback_journal_nothing_is_relaxed()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        await using var db = await ContextAsync(harness);
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        // NORMAL is safe against corruption only in WAL mode: with a rollback journal the connection stays as it is.
        Assert.Equal("delete", await ScalarAsync(connection, "PRAGMA journal_mode=DELETE"));
        var before = await SettingsAsync(connection);

        await using (await db.Database.ForLargeWritesAsync(CancellationToken.None))
        {
            Assert.Equal(before, await SettingsAsync(connection));
        }
        await db.Database.CloseConnectionAsync();
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_connection_is_open_for_the_writes_and_closed_after(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 1);
        await using var db = await ContextAsync(harness);
        var connection = db.Database.GetDbConnection();

        await using (await db.Database.ForLargeWritesAsync(CancellationToken.None))
        {
            Assert.Equal(ConnectionState.Open, connection.State);
            Assert.Equal(1, await db.Customers.CountAsync());
            Assert.Equal(ConnectionState.Open, connection.State);
        }

        Assert.Equal(ConnectionState.Closed, connection.State);
    }

    [Fact]
    public async Task A_connection_whose_settings_cannot_be_put_back_does_not_go_back_to_the_pool_with_them()
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 1);
        // As the app opens SQLite: pooled (the tests' own databases are not, so that each test's files can go at once).
        var pooled = harness.Database.Settings with
        {
            ConnectionString = new SqliteConnectionStringBuilder(harness.Database.Settings.ConnectionString) { Pooling = true }.ToString(),
        };
        // The context saves nothing: its clock, which would stamp saves, is a fixed one.
        await using var db = DomainServices.CreateSystemContext(pooled, new FakeTimeProvider(new DateTimeOffset(2030, 3, 1, 2, 0, 0, TimeSpan.Zero)));
        var connection = db.Database.GetDbConnection();
        try
        {
            await db.Database.OpenConnectionAsync();
            var synchronous = await ScalarAsync(connection, "PRAGMA synchronous");
            Assert.NotEqual("1", synchronous);
            await db.Database.CloseConnectionAsync(); // to the pool, as it was

            await using (await db.Database.ForLargeWritesAsync(CancellationToken.None))
            {
                Assert.Equal("1", await ScalarAsync(connection, "PRAGMA synchronous"));
                // The connection is lost under the batch: it goes back to the pool with NORMAL, and the settings cannot be put back.
                await db.Database.CloseConnectionAsync();
            }

            // The next open is a new connection with SQLite's own settings, not the pooled one left with NORMAL.
            await db.Database.OpenConnectionAsync();
            Assert.Equal(synchronous, await ScalarAsync(connection, "PRAGMA synchronous"));
            await db.Database.CloseConnectionAsync();
        }
        finally
        {
            SqliteConnection.ClearPool((SqliteConnection)connection);
        }
    }

    private static async Task<CrmDbContext> ContextAsync(DomainHarness harness) =>
        await harness.Get<IDbContextFactory<CrmDbContext>>(await harness.DemoUserAsync("demo-admin")).CreateDbContextAsync();

    /// <summary>The two settings a batch changes.</summary>
    private static async Task<(string? Synchronous, string? Checkpoint)> SettingsAsync(DbConnection connection) =>
        (await ScalarAsync(connection, "PRAGMA synchronous"), await ScalarAsync(connection, "PRAGMA wal_autocheckpoint"));

    private static async Task<string?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
