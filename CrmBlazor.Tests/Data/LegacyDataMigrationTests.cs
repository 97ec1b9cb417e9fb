using CrmBlazor.Domain.Approvals;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CrmBlazor.Tests.Data;

/// <summary>Migrations that repair data stored before a rule existed, run over rows written at the migration before them.</summary>
public sealed class LegacyDataMigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Stored_websites_with_another_scheme_than_http_are_cleared_by_the_migration(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = DomainServices.CreateSystemContext(database.Settings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        var websites = new Dictionary<string, string?>
        {
            ["javascript:alert(1)"] = null,
            [CrmBlazor.Tests.Customers.WebsiteTests.ScriptUrl] = null,
            ["data:text/html,<script>alert(1)</script>"] = null,
            [" http://leading-blank.cn"] = null,
            ["www.no-scheme.cn"] = null,
            ["https://www.kept.cn"] = "https://www.kept.cn",
            ["HTTP://UPPER.CN"] = "HTTP://UPPER.CN",
        };
        // The customers are saved under today's schema, then the database goes back to before the migration and the old
        // values are written touching only Id and Website: columns added since (an external code…) cannot break the test.
        await db.Database.MigrateAsync();
        var customers = websites.Keys.Select((_, i) => new Customer { Number = $"CRM2020{i + 1:D3}", Name = $"旧数据{i}有限公司" }).ToList();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();
        var migrations = db.Database.GetMigrations().ToList();
        var previous = migrations[migrations.FindIndex(m => m.EndsWith("_NeutraliseWebsites", StringComparison.Ordinal)) - 1];
        await db.GetService<IMigrator>().MigrateAsync(previous);
        foreach (var (customer, website) in customers.Zip(websites.Keys))
        {
            customer.Website = website;
            await db.Customers.Where(c => c.Id == customer.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Website, website));
        }

        await db.Database.MigrateAsync();

        var stored = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => (c.Website, c.Version));
        foreach (var customer in customers)
        {
            Assert.Equal(websites[customer.Website!], stored[customer.Id].Website);
            // A cleared row moves its version on, so a form open on the old value meets a conflict rather than writing it back.
            Assert.Equal(customer.Version + (websites[customer.Website!] is null ? 1 : 0), stored[customer.Id].Version);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Each_users_one_team_becomes_a_membership_a_supervisor_by_role_supervising_it(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System);
        var migrations = db.Database.GetMigrations().ToList();
        var previous = migrations[migrations.FindIndex(m => m.EndsWith("_TeamMemberships", StringComparison.Ordinal)) - 1];
        await db.GetService<IMigrator>().MigrateAsync(previous);
        var team = new CrmBlazor.Domain.Access.Team { Name = "华东销售一组" };
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        var (supervisor, rep, loner) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        foreach (var (id, roles, teamId) in new[] { (supervisor, "Admin,Supervisor", (Guid?)team.Id), (rep, "SalesRep", team.Id), (loner, "Analyst", null) })
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Users" ("Id", "ExternalId", "DisplayName", "Roles", "TeamId", "IsActive", "IsAway", "CreatedAt", "UpdatedAt", "Version")
                VALUES ({id}, {id.ToString()}, {"用户"}, {roles}, {teamId}, {true}, {false}, {DateTime.UtcNow}, {DateTime.UtcNow}, {1})
                """);
        }

        await db.Database.MigrateAsync();

        var memberships = await db.TeamMemberships.AsNoTracking().ToListAsync();
        Assert.Equal(2, memberships.Count);
        Assert.All(memberships, m => Assert.Equal(team.Id, m.TeamId));
        Assert.True(memberships.Single(m => m.UserId == supervisor).IsSupervisor);
        Assert.False(memberships.Single(m => m.UserId == rep).IsSupervisor);
        Assert.All(memberships, m => Assert.Equal(CrmBlazor.Domain.Access.MembershipSource.Manual, m.Source));
    }

    [Fact]
    public async Task On_SQLite_the_search_keys_move_to_a_table_without_rowid_and_every_key_stays_searchable()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = DomainServices.CreateSystemContext(database.Settings, TimeProvider.System);
        var migrations = db.Database.GetMigrations().ToList();
        await db.GetService<IMigrator>().MigrateAsync(migrations[migrations.FindIndex(m => m.EndsWith("_SearchKeysWithoutRowId", StringComparison.Ordinal)) - 1]);
        var customer = new Customer { Number = "CRM2026001", Name = "杭州云帆网络科技有限公司" };
        customer.Contacts.Add(new Contact { Name = "王经理", Mobile = "13800000001", IsKey = true });
        db.Customers.Add(customer);
        await db.SaveChangesAsync(); // first: the model has no foreign key to order the keys after their customer, the table at this migration has
        await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, CancellationToken.None);
        await db.SaveChangesAsync();
        var keys = await db.CustomerSearchTokens.AsNoTracking().Select(t => new { t.CustomerId, t.Kind, t.Token }).OrderBy(t => t.Kind).ThenBy(t => t.Token).ToListAsync();
        Assert.True(keys.Count > 10);
        Assert.DoesNotContain("WITHOUT ROWID", await TableSqlAsync(db));

        await db.GetService<IMigrator>().MigrateAsync(migrations.Single(m => m.EndsWith("_SearchKeysWithoutRowId", StringComparison.Ordinal)));

        Assert.EndsWith("WITHOUT ROWID", await TableSqlAsync(db));
        Assert.Equal(keys, await db.CustomerSearchTokens.AsNoTracking().Select(t => new { t.CustomerId, t.Kind, t.Token }).OrderBy(t => t.Kind).ThenBy(t => t.Token).ToListAsync());
        Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE name = 'IX_CustomerSearchTokens_Kind_Token_CustomerId'").SingleAsync());
        db.ChangeTracker.Clear();
        Assert.Equal([customer.Id], await CustomerSearch.Matching(db, db.Customers, "云帆网络").Select(c => c.Id).ToListAsync());
        Assert.Equal([customer.Id], await CustomerSearch.Matching(db, db.Customers, "1380000").Select(c => c.Id).ToListAsync());
        // The foreign key still held at that migration (SearchKeysWithoutForeignKey drops it): a deleted customer took its keys with it.
        await db.Customers.Where(c => c.Id == customer.Id).ExecuteDeleteAsync();
        Assert.Equal(0, await db.CustomerSearchTokens.CountAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Notification_links_stored_before_become_subjects_that_open_the_same_pages_and_Down_writes_them_back(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = DomainServices.CreateSystemContext(database.Settings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        var migrations = db.Database.GetMigrations().ToList();
        var previous = migrations[migrations.FindIndex(m => m.EndsWith("_NotificationSubjects", StringComparison.Ordinal)) - 1];
        await db.GetService<IMigrator>().MigrateAsync(previous);
        var id = Guid.Parse("0190f0c4-5a55-7000-8000-0000000000ab");
        // Every link the build before wrote (NotificationKinds and the reminder, import and feedback notices), and two it never wrote.
        string?[] links =
        [
            $"/customers/{id}", $"/demands/{id}", $"/tickets/{id}", $"/pipeline/{id}", "/customers", "/leads", "/approvals", "/feedback/mine",
            $"/customers/import?job={id}", $"/customers/import/contacts?job={id}", $"/leads/import?job={id}", null, "/",
        ];
        var userId = Guid.Parse("0190f0c4-5a55-7000-8000-0000000000cd");
        var createdAt = new DateTime(2026, 2, 27, 8, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < links.Length; i++)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Notifications" ("Id", "UserId", "Kind", "Values", "Link", "DedupKey", "CreatedAt")
                VALUES ({Guid.CreateVersion7()}, {userId}, {"todo-assigned"}, {"[]"}, {links[i]}, {"old-" + i}, {createdAt.AddMinutes(i)})
                """);
        }

        await db.Database.MigrateAsync();

        var stored = await db.Notifications.AsNoTracking().OrderBy(n => n.CreatedAt).Select(n => n.Subject).ToListAsync();
        Assert.Equal([.. links[..^1], null], stored.Select(s => CrmBlazor.Server.Features.Notifications.NotificationLinks.For(CrmBlazor.Domain.Notifications.NotificationSubject.Parse(s))));
        Assert.Equal($"Customer:{id}", stored[0]);

        await db.GetService<IMigrator>().MigrateAsync(previous);

        var back = await db.Database.SqlQueryRaw<string?>("SELECT \"Link\" AS \"Value\" FROM \"Notifications\" ORDER BY \"CreatedAt\"").ToListAsync();
        Assert.Equal([.. links[..^1], null], back);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Approval_sentences_stored_before_are_kept_and_shown_and_Down_gives_a_request_made_since_its_kind(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = DomainServices.CreateSystemContext(database.Settings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        var migrations = db.Database.GetMigrations().ToList();
        var previous = migrations[migrations.FindIndex(m => m.EndsWith("_ApprovalSummaryFacts", StringComparison.Ordinal)) - 1];
        await db.GetService<IMigrator>().MigrateAsync(previous);
        const string sentence = "商机 OPP2026001（¥1,234,567.89）推进至“签订合同” / move opportunity OPP2026001 (CN¥1,234,567.89) to Contract";
        var requester = Guid.Parse("0190f0c4-5a55-7000-8000-0000000000cd");
        var at = new DateTime(2026, 2, 27, 8, 0, 0, DateTimeKind.Utc);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ApprovalRequests" ("Id", "Kind", "Summary", "Payload", "RequestedById", "RequestedByName", "Status", "CreatedAt", "UpdatedAt", "Version")
            VALUES ({Guid.CreateVersion7()}, {ApprovalKinds.OpportunityMove}, {sentence}, {"{}"}, {requester}, {"张伟"}, {"Pending"}, {at}, {at}, {1})
            """);

        await db.Database.MigrateAsync();

        var old = await db.ApprovalRequests.AsNoTracking().SingleAsync();
        Assert.Equal((sentence, (string?)null), (old.LegacySummary, old.SummaryFacts));
        Assert.Equal(sentence, ApprovalSummary.Of(old.Kind, old.SummaryFacts, old.LegacySummary).StoredText);
        db.ApprovalRequests.Add(new ApprovalRequest
        {
            Kind = ApprovalKinds.CustomerExport, SummaryFacts = ApprovalSummary.Export(9000).FactsJson(), Payload = "{}", RequestedById = requester, RequestedByName = "张伟",
        });
        await db.SaveChangesAsync();

        await db.GetService<IMigrator>().MigrateAsync(previous);

        var back = await db.Database.SqlQueryRaw<string>("SELECT \"Summary\" AS \"Value\" FROM \"ApprovalRequests\" ORDER BY \"CreatedAt\"").ToListAsync();
        Assert.Equal([sentence, ApprovalKinds.CustomerExport], back);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_search_keys_lose_their_foreign_key_keep_every_row_and_on_SQLite_stay_without_rowid_and_Down_brings_the_key_back(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = DomainServices.CreateSystemContext(database.Settings, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        var migrations = db.Database.GetMigrations().ToList();
        var previous = migrations[migrations.FindIndex(m => m.EndsWith("_SearchKeysWithoutForeignKey", StringComparison.Ordinal)) - 1];
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(previous);
        var customer = new Customer { Number = "CRM2026001", Name = "杭州云帆网络科技有限公司" };
        customer.Contacts.Add(new Contact { Name = "王经理", Mobile = "13800000001", IsKey = true });
        db.Customers.Add(customer);
        await db.SaveChangesAsync(); // first: the model has no foreign key to order the keys after their customer, the table at this migration has
        await CustomerSearch.RefreshAsync(db, customer, customer.Contacts, CancellationToken.None);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var keys = await KeysAsync(db);
        Assert.True(keys.Count > 10);
        Assert.Equal(1, await ForeignKeysAsync(db, provider));

        await db.Database.MigrateAsync();

        Assert.Equal(0, await ForeignKeysAsync(db, provider));
        Assert.Equal(keys, await KeysAsync(db));
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.EndsWith("WITHOUT ROWID", await TableSqlAsync(db));
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE name = 'IX_CustomerSearchTokens_Kind_Token_CustomerId'").SingleAsync());
        }
        Assert.Equal([customer.Id], await CustomerSearch.Matching(db, db.Customers, "云帆网络").Select(c => c.Id).ToListAsync());
        // Nothing stops a key without its customer now; Down drops such keys before it adds the foreign key back.
        db.CustomerSearchTokens.Add(new CustomerSearchToken { CustomerId = Guid.CreateVersion7(), Kind = CustomerSearchToken.Prefix, Token = "orphan" });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        await migrator.MigrateAsync(previous);

        Assert.Equal(1, await ForeignKeysAsync(db, provider));
        Assert.Equal(keys, await KeysAsync(db));
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.EndsWith("WITHOUT ROWID", await TableSqlAsync(db));
        }
    }

    private static async Task<List<(Guid, string, string)>> KeysAsync(CrmDbContext db) =>
        (await db.CustomerSearchTokens.AsNoTracking().Select(t => new { t.CustomerId, t.Kind, t.Token }).ToListAsync())
            .Select(t => (t.CustomerId, t.Kind, t.Token)).Order().ToList();

    private static Task<int> ForeignKeysAsync(CrmDbContext db, DatabaseProvider provider) => provider == DatabaseProvider.Sqlite
        ? db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM pragma_foreign_key_list('CustomerSearchTokens')").SingleAsync()
        : db.Database.SqlQueryRaw<int>("SELECT COUNT(*)::int AS \"Value\" FROM information_schema.table_constraints WHERE table_name = 'CustomerSearchTokens' AND constraint_type = 'FOREIGN KEY'").SingleAsync();

    private static async Task<string> TableSqlAsync(CrmDbContext db) =>
        (await db.Database.SqlQueryRaw<string>("SELECT sql AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'CustomerSearchTokens'").SingleAsync()).Trim();
}
