using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Tests.Data;

public sealed class MigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrations_apply_to_a_fresh_database_and_leave_nothing_pending(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);

        await DatabaseInitializer.InitializeAsync(database.Settings, TimeProvider.System, seedDemoData: true, demoCustomers: 5, NullLogger.Instance);

        await using var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(
            db.Database.GetMigrations().ToList(),
            (await db.Database.GetAppliedMigrationsAsync()).ToList());
        Assert.Equal(5, await db.Customers.CountAsync());
        Assert.Equal(DemoData.Users.Count, await db.Users.CountAsync());
        // The demo service desk: both groups, and a ticket on each of the first customers, numbered and in several states.
        Assert.Equal(2, await db.SupportGroups.CountAsync());
        var tickets = await db.Tickets.OrderBy(t => t.Number).ToListAsync();
        Assert.Equal(5, tickets.Count);
        Assert.All(tickets, t => Assert.NotNull(t.AssigneeId));
        Assert.True(tickets.Select(t => t.Status).Distinct().Count() >= 4);
    }

    [Fact]
    public void The_SqlServer_idempotent_script_generates_every_table()
    {
        using var db = DesignTimeContext.Create(DatabaseProvider.SqlServer);

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        // Idempotent: every migration is guarded by a look-up in the history table.
        Assert.Contains("FROM [__EFMigrationsHistory]", script, StringComparison.Ordinal);
        Assert.Contains("WHERE [MigrationId] = N'", script, StringComparison.Ordinal);
        foreach (var table in db.Model.GetEntityTypes().Select(t => t.GetTableName()!).Distinct())
        {
            Assert.Contains($"CREATE TABLE [{table}]", script, StringComparison.Ordinal);
        }
        // Data conversions run through EXEC, so their batch compiles where a later migration renamed the column already.
        Assert.Contains("EXEC(N'UPDATE [Notifications] SET [Subject] = CASE", script, StringComparison.Ordinal);
        Assert.Contains("WHEN [Subject] LIKE ''/customers/%'' THEN REPLACE([Subject], ''/customers/'', ''Customer:'')", script, StringComparison.Ordinal);
    }

    /// <summary>Fails when the model changed without a migration for this provider (./migrations-add.sh NAME).</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void The_model_has_no_changes_without_a_migration(DatabaseProvider provider)
    {
        using var db = DesignTimeContext.Create(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model differs from the last {provider} migration: run ./migrations-add.sh <Name>.");
    }

    /// <summary>The indexes the customer list and search, the pipeline board and the funnel rely on (bench/README.md) are in every provider's migrations.</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void The_list_and_search_indexes_are_in_every_providers_migrations(DatabaseProvider provider)
    {
        using var db = DesignTimeContext.Create(provider);
        var migrated = db.GetService<IMigrationsAssembly>().ModelSnapshot!.Model;

        string[][] Indexes(string entity) => migrated.FindEntityType(entity)!.GetIndexes().Select(i => i.Properties.Select(p => p.Name).ToArray()).ToArray();
        var customers = Indexes("CrmBlazor.Domain.Customers.Customer");
        var tokens = Indexes("CrmBlazor.Domain.Customers.CustomerSearchToken");
        var contacts = Indexes("CrmBlazor.Domain.Customers.Contact");

        foreach (var expected in new string[][] { ["Number"], ["NumberOrder"], ["Name"], ["Status", "Industry", "Name"], ["OwnerId", "NumberOrder", "Id"], ["Industry"], ["Size"], ["Tier"], ["Province", "City"], ["LastContactAt"] })
        {
            Assert.Contains(customers, i => i.SequenceEqual(expected));
        }
        Assert.Contains(tokens, i => i.SequenceEqual(["Kind", "Token", "CustomerId"]));
        Assert.Contains(contacts, i => i.SequenceEqual(["Mobile"]));
        var opportunities = Indexes("CrmBlazor.Domain.Pipeline.Opportunity");
        foreach (var expected in new string[][] { ["CustomerOwnerId", "ClosedAt", "Stage", "AmountFen", "ExpectedCloseOn", "Number", "Id"], ["CustomerId"], ["OwnerId", "Stage", "FurthestStage", "CreatedAt", "AmountFen", "InitialContactDays", "NeedsAnalysisDays", "ProposalDays", "NegotiationDays", "ContractDays", "DeliveryDays", "DaysFromLeadToWon"], ["OwnerId", "Stage", "ClosedAt"] })
        {
            Assert.Contains(opportunities, i => i.SequenceEqual(expected));
        }
        Assert.Contains(Indexes("CrmBlazor.Domain.Pipeline.OpportunityStageChange"), i => i.SequenceEqual(["OpportunityId", "At", "Id", "ToStage"]));
    }

    [Fact]
    public void The_drift_check_notices_a_model_change()
    {
        var options = new DbContextOptionsBuilder<CrmDbContext>();
        new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=drift.db").Apply(options);
        options.ReplaceService<IModelCustomizer, ExtraColumnCustomizer>();
        using var db = new CrmDbContext(options.Options);

        Assert.True(db.Database.HasPendingModelChanges());
    }

    /// <summary>Adds a column the migrations do not know, as a developer forgetting a migration would.</summary>
    private sealed class ExtraColumnCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<CrmBlazor.Domain.Customers.Customer>().Property<string>("ForgottenColumn");
        }
    }
}
