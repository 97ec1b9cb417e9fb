using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using static CrmBlazor.Bench.Generator;

namespace CrmBlazor.Bench;

/// <summary>
/// Adds a sales pipeline to a database <see cref="Generator"/> made (issue 15): N opportunities over random customers,
/// owned by the customer's rep, created over the last two years and walked through the stages with one
/// OpportunityStageChanges row per move (older deals mostly won or lost, recent ones open); and M leads, most owned by
/// a rep, some waiting in a team's or the company's pool, in every status. Lead companies are drawn from the same name
/// pool as the customers, so the conversion duplicate check finds real name-key matches. Deterministic: a fixed seed,
/// and "now" rounded to the hour.
/// </summary>
public static class PipelineGenerator
{
    private static readonly string[] LostReasons = ["price", "competitor", "budget", "timing", "fit"];
    private static readonly string[] Sources = ["website", "referral", "exhibition"];
    private static readonly string[] Products = ["CRM 年度订阅", "数据治理咨询", "私有化部署", "移动端扩展", "客服工单模块", "实施培训"];

    public static async Task RunAsync(string path, int opportunities, int leads)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: make a customer database first with `generate --customers N --db FILE`.", path);
        }
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var clock = Stopwatch.StartNew();
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: false, demoCustomers: 0, NullLogger.Instance);

        var now = DateTime.UtcNow;
        now = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        var reps = await LoadRepsAsync(connection);
        var customers = await LoadCustomersAsync(connection);
        Console.WriteLine($"  {reps.Count} reps, {customers.Count:N0} customers loaded, {clock.Elapsed.TotalSeconds:F0} s");

        await Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var random = new Random(20261202);
        var changes = await AddOpportunitiesAsync(connection, transaction, random, now, opportunities, customers, reps);
        Console.WriteLine($"  {opportunities:N0} opportunities, {changes:N0} stage changes, {clock.Elapsed.TotalSeconds:F0} s");
        await AddLeadsAsync(connection, transaction, random, now, leads, customers, reps);
        Console.WriteLine($"  {leads:N0} leads, {clock.Elapsed.TotalSeconds:F0} s");
        await transaction.CommitAsync();
        await Execute(connection, "ANALYZE; PRAGMA optimize;");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated {opportunities:N0} opportunities ({changes:N0} stage changes) and {leads:N0} leads into {path} in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(path).Length / 1024 / 1024} MB)"));
    }

    private sealed record Rep(Guid Id, string Name, Guid? TeamId);

    private static async Task<int> AddOpportunitiesAsync(SqliteConnection connection, SqliteTransaction transaction, Random random, DateTime now, int count,
        List<(Guid Id, Guid Owner)> customers, Dictionary<Guid, Rep> reps)
    {
        var insert = Prepare(connection, transaction,
            "INSERT INTO Opportunities (Id, Number, CustomerId, CustomerOwnerId, Name, AmountFen, ExpectedCloseOn, OwnerId, Stage, StageEnteredAt, LostReason, ClosedAt, " +
            "PendingApprovalId, PendingStage, RejectionReason, FurthestStage, InitialContactDays, NeedsAnalysisDays, ProposalDays, NegotiationDays, ContractDays, DeliveryDays, " +
            "CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, Version) " +
            "VALUES ($id, $number, $customer, $owner, $name, $amount, $close, $owner, $stage, $entered, $lost, $closed, NULL, NULL, NULL, $furthest, $d0, $d1, $d2, $d3, $d4, $d5, " +
            "$at, $owner, $updated, $owner, 1)",
            "$id", "$number", "$customer", "$name", "$amount", "$close", "$owner", "$stage", "$entered", "$lost", "$closed",
            "$furthest", "$d0", "$d1", "$d2", "$d3", "$d4", "$d5", "$at", "$updated");
        var change = Prepare(connection, transaction,
            "INSERT INTO OpportunityStageChanges (Id, OpportunityId, FromStage, ToStage, At, ById, ByName) VALUES ($id, $opportunity, $from, $to, $at, $by, $byName)",
            "$id", "$opportunity", "$from", "$to", "$at", "$by", "$byName");

        // Created over the last two years, inserted oldest first so that numbers follow creation as the service gives them.
        var created = Enumerable.Range(0, count).Select(_ => now.AddMinutes(-random.Next(1, 730 * 24 * 60))).Order().ToList();
        var perYear = new Dictionary<int, int>();
        var changes = 0;
        var path = new List<(OpportunityStage Stage, DateTime At)>(8);
        foreach (var at in created)
        {
            var (customerId, ownerId) = customers[random.Next(customers.Count)];
            var owner = reps[ownerId];
            var id = Guid.CreateVersion7(new DateTimeOffset(at));
            var serial = perYear[at.Year] = perYear.GetValueOrDefault(at.Year) + 1;
            var size = random.Next(5) switch { 0 => 2_000_000, 1 => 500_000, 2 => 150_000, _ => 40_000 };
            var amount = (long)random.Next(size / 4, size * 2) * 100;
            var close = DateOnly.FromDateTime(at).AddDays(random.Next(30, 181));

            // The walk: open stages in order, a few days to a few weeks each, until it is won, lost, or today is reached.
            var age = (now - at).TotalDays;
            var outcome = random.Next(100);
            var lastOpen = outcome < 40 ? 5 : random.Next(6);
            var ends = age < 45 ? (outcome < 5 ? OpportunityStage.Lost : (OpportunityStage?)null)
                : outcome < 35 ? OpportunityStage.Won : outcome < 80 ? OpportunityStage.Lost : null;
            path.Clear();
            path.Add((OpportunityStage.InitialContact, at));
            var when = at;
            var stopped = false;
            for (var s = 1; s <= (ends == OpportunityStage.Won ? 5 : lastOpen) && !stopped; s++)
            {
                when = when.AddMinutes(random.Next(2 * 24 * 60, 25 * 24 * 60));
                if (when >= now)
                {
                    stopped = true;
                }
                else
                {
                    path.Add(((OpportunityStage)s, when));
                }
            }
            if (ends is { } end && !stopped)
            {
                when = when.AddMinutes(random.Next(24 * 60, 20 * 24 * 60));
                if (when < now)
                {
                    path.Add((end, when));
                }
            }
            // The walk through the entity's own Enter, so the stage, close and funnel facts are what the service would keep.
            var deal = new Opportunity { Number = "", Name = "", Stage = OpportunityStage.InitialContact, FurthestStage = OpportunityStage.InitialContact, StageEnteredAt = at };
            foreach (var (next, nextAt) in path.Skip(1))
            {
                deal.Enter(next, nextAt);
            }
            Bind(insert, id, $"OP{at.Year}{serial:0000}", customerId, $"{Products[random.Next(Products.Length)]}项目", amount, close, ownerId,
                deal.Stage.ToString(), deal.StageEnteredAt, deal.Stage == OpportunityStage.Lost ? LostReasons[random.Next(LostReasons.Length)] : null, deal.ClosedAt,
                deal.FurthestStage.ToString(), deal.InitialContactDays, deal.NeedsAnalysisDays, deal.ProposalDays, deal.NegotiationDays, deal.ContractDays, deal.DeliveryDays,
                at, deal.StageEnteredAt);
            await insert.ExecuteNonQueryAsync();
            for (var k = 0; k < path.Count; k++)
            {
                Bind(change, Guid.CreateVersion7(new DateTimeOffset(path[k].At)), id, k == 0 ? null : path[k - 1].Stage.ToString(), path[k].Stage.ToString(),
                    path[k].At, ownerId, owner.Name);
                await change.ExecuteNonQueryAsync();
                changes++;
            }
        }
        foreach (var (year, last) in perYear)
        {
            await SetSequenceAsync(connection, transaction, $"opportunity:{year}", last);
        }
        return changes;
    }

    private static async Task AddLeadsAsync(SqliteConnection connection, SqliteTransaction transaction, Random random, DateTime now, int count,
        List<(Guid Id, Guid Owner)> customers, Dictionary<Guid, Rep> reps)
    {
        var insert = Prepare(connection, transaction,
            "INSERT INTO Leads (Id, Number, Source, Company, ContactName, Mobile, Email, Region, Notes, Status, DisqualifyReason, TeamId, OwnerId, AssignedAt, " +
            "PendingApprovalId, PendingOwnerId, ConvertedCustomerId, ConvertedOpportunityId, ConvertedAt, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, Version) " +
            "VALUES ($id, $number, $source, $company, $contact, $mobile, $email, $region, NULL, $status, $reason, $team, $owner, $assigned, " +
            "NULL, NULL, $customer, NULL, $converted, $at, NULL, $updated, NULL, 1)",
            "$id", "$number", "$source", "$company", "$contact", "$mobile", "$email", "$region", "$status", "$reason", "$team", "$owner", "$assigned",
            "$customer", "$converted", "$at", "$updated");
        var repList = reps.Values.OrderBy(r => r.Id).ToList();
        var teams = repList.Where(r => r.TeamId is not null).Select(r => r.TeamId!.Value).Distinct().Order().ToList();
        var created = Enumerable.Range(0, count).Select(_ => now.AddMinutes(-random.Next(1, 730 * 24 * 60))).Order().ToList();
        var perYear = new Dictionary<int, int>();
        foreach (var at in created)
        {
            var serial = perYear[at.Year] = perYear.GetValueOrDefault(at.Year) + 1;
            var (name, city) = CompanyName(random);
            var contact = PersonName(random);
            // Recent leads are still being worked; older ones mostly ended converted or disqualified.
            var roll = random.Next(100);
            var status = (now - at).TotalDays < 60
                ? roll switch { < 35 => LeadStatus.New, < 65 => LeadStatus.Contacted, < 85 => LeadStatus.Qualified, < 92 => LeadStatus.Converted, _ => LeadStatus.Disqualified }
                : roll switch { < 5 => LeadStatus.New, < 12 => LeadStatus.Contacted, < 20 => LeadStatus.Qualified, < 50 => LeadStatus.Converted, _ => LeadStatus.Disqualified };
            // One in eight waits unclaimed in a pool (a team's, or now and then the company's); converted leads had an owner.
            var pooled = status is LeadStatus.New && random.Next(3) == 0;
            var owner = pooled ? null : repList[random.Next(repList.Count)];
            var team = pooled ? (random.Next(5) == 0 ? (Guid?)null : teams[random.Next(teams.Count)]) : owner!.TeamId;
            var assigned = owner is null ? (DateTime?)null : at.AddMinutes(random.Next(5, 3 * 24 * 60));
            var converted = status == LeadStatus.Converted ? at.AddMinutes(random.Next(24 * 60, 60 * 24 * 60)) : (DateTime?)null;
            if (converted > now)
            {
                converted = now.AddMinutes(-random.Next(1, 600));
            }
            Bind(insert, Guid.CreateVersion7(new DateTimeOffset(at)), Lead.NumberOf(at.Year, serial), Sources[random.Next(Sources.Length)], name, contact,
                $"13{random.Next(0, 1_000_000_000):D9}", $"l{random.Next(0, 100_000_000):D8}@example.com.cn", city,
                status.ToString(), status == LeadStatus.Disqualified ? "无采购预算" : null, team, owner?.Id, assigned,
                status == LeadStatus.Converted ? customers[random.Next(customers.Count)].Id : null, converted, at, converted ?? assigned ?? at);
            await insert.ExecuteNonQueryAsync();
        }
        foreach (var (year, last) in perYear)
        {
            await SetSequenceAsync(connection, transaction, Lead.SequenceOf(year), last);
        }
    }

    /// <summary>A company name as <see cref="Generator"/> makes them (so some leads are customers already), with its province.</summary>
    private static (string Name, string Province) CompanyName(Random random)
    {
        var city = random.Next(Cities.Length);
        return ($"{Cities[city]}{Pool[random.Next(Pool.Length)]}{Pool[random.Next(Pool.Length)]}{Suffixes[random.Next(Suffixes.Length)]}有限公司", Provinces[city]);
    }

    private static string PersonName(Random random) =>
        $"{Surnames[random.Next(Surnames.Length)]}{Given[random.Next(Given.Length)]}{(random.Next(2) == 0 ? Given[random.Next(Given.Length)].ToString() : "")}";

    private static async Task SetSequenceAsync(SqliteConnection connection, SqliteTransaction transaction, string key, int last)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO NumberSequences (Key, Last) VALUES ($key, $last) ON CONFLICT (Key) DO UPDATE SET Last = max(Last, excluded.Last)";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$last", last);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Dictionary<Guid, Rep>> LoadRepsAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT u.Id, u.DisplayName, min(m.TeamId) FROM Users u LEFT JOIN TeamMemberships m ON m.UserId = u.Id WHERE u.Roles = 'SalesRep' GROUP BY u.Id, u.DisplayName";
        await using var reader = await command.ExecuteReaderAsync();
        var reps = new Dictionary<Guid, Rep>();
        while (await reader.ReadAsync())
        {
            var id = Guid.Parse(reader.GetString(0));
            reps[id] = new Rep(id, reader.GetString(1), reader.IsDBNull(2) ? null : Guid.Parse(reader.GetString(2)));
        }
        return reps;
    }

    private static async Task<List<(Guid Id, Guid Owner)>> LoadCustomersAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, OwnerId FROM Customers WHERE OwnerId IS NOT NULL ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync();
        var customers = new List<(Guid, Guid)>();
        while (await reader.ReadAsync())
        {
            customers.Add((Guid.Parse(reader.GetString(0)), Guid.Parse(reader.GetString(1))));
        }
        return customers;
    }
}
