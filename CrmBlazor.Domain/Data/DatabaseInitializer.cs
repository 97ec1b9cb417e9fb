using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CrmBlazor.Domain.Data;

/// <summary>Start-up: apply this provider's migrations, then seed the demo data into an empty database.</summary>
public static class DatabaseInitializer
{
    /// <param name="demoServiceDesk">With the demo data, also its support groups and tickets (tests that build their own desk say no).</param>
    public static async Task InitializeAsync(DatabaseSettings database, TimeProvider time, bool seedDemoData, int demoCustomers, ILogger logger,
        bool demoServiceDesk = true, CancellationToken cancellationToken = default)
    {
        await using var db = DomainServices.CreateSystemContext(database, time);
        if (database.MigrateOnStart)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} {Provider} migrations: {Migrations}", pending.Count, database.Provider, pending);
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // Readers and the one writer side by side (a long read, such as a tier evaluation's, must not block its own writes).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        var keyed = await Customers.CustomerSearch.BackfillNameKeysAsync(db, cancellationToken);
        if (keyed > 0)
        {
            logger.LogInformation("Added the duplicate-check name key to {Count} customers", keyed);
        }
        var checkedQuality = await DataQuality.CustomerQuality.BackfillAsync(db, cancellationToken);
        if (checkedQuality > 0)
        {
            logger.LogInformation("Computed the stored data-quality problems of {Count} customers", checkedQuality);
        }
        if (seedDemoData && !await db.Users.AnyAsync(cancellationToken))
        {
            await DemoData.SeedAsync(db, demoCustomers, time, demoServiceDesk, cancellationToken);
            logger.LogInformation("Seeded demo data: {Customers} customers and one user per role", demoCustomers);
        }
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // Statistics for the planner (the other servers keep their own): without them SQLite cannot know that a few owners
            // and stages lead the funnel's indexes, and sorts a year of deals instead of skip-scanning them. Bounded work,
            // and only for tables whose statistics are missing or stale.
            await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=1000; PRAGMA optimize=0x10002;", cancellationToken);
        }
    }
}
