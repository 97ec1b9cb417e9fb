using System.Diagnostics;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// A deterministic SQLite database of N customers with one or two contacts each, 100 sales reps in
/// 10 teams, and the search keys. The fast path: one transaction, prepared commands, no change tracker.
/// </summary>
public static class Generator
{
    internal const string Pool = "云帆华信启明博远中科瑞丰天衡恒通新锐东方金石蓝海智联汇德长青鼎盛海纳盛世安泰宏达永兴嘉禾立信百川凯旋正阳九州腾飞万达远景卓越星辰明珠宇航润泽和谐创新美华佳联宝德祥瑞同方汉唐";
    internal static readonly string[] Cities = ["上海", "北京", "深圳", "广州", "杭州", "宁波", "苏州", "南京", "成都", "武汉", "西安", "青岛", "厦门", "合肥", "长沙"];
    internal static readonly string[] Provinces = ["上海", "北京", "广东", "广东", "浙江", "浙江", "江苏", "江苏", "四川", "湖北", "陕西", "山东", "福建", "安徽", "湖南"];
    private static readonly string[] Industries = ["manufacturing", "internet", "retail", "finance", "healthcare", "education", "logistics", "energy", "software", "construction"];
    internal static readonly string[] Suffixes = ["精密制造", "网络科技", "商贸", "金融服务", "医疗器械", "教育科技", "供应链管理", "新能源", "信息技术", "建设工程"];
    private static readonly string[] Statuses = ["new", "cooperating", "active", "active", "silent", "lost"];
    private static readonly string[] Sizes = ["lt50", "50-200", "200-500", "500plus"];
    private static readonly string?[] Tiers = ["S", "A", "B", "B", "C", "C", null];
    internal static readonly string Surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
    internal static readonly string Given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建斌宇浩凯晨欣怡子轩梓涵雨";

    /// <param name="distinctNames">
    /// Company names as varied as real ones (three-character brands from 5,000 characters) with planted duplicates: one
    /// customer in 200 repeats an earlier one's name under another legal form, one in 200 changes one character of an
    /// earlier one's in the same city. Without it, brands are two characters from a pool of 100, so that one customer in
    /// a hundred shares its city, industry and a brand character with thousands: a grid of similar names no duplicate
    /// check could list (the `duplicates` benchmark needs this option).
    /// </param>
    public static async Task RunAsync(string path, int customers, int ordersPerCustomer = 0, bool distinctNames = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var clock = Stopwatch.StartNew();
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: true, demoCustomers: 0, NullLogger.Instance);

        var owners = await AddSalesTeamsAsync(settings);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var customer = Prepare(connection, transaction,
            "INSERT INTO Customers (Id, Number, NumberOrder, Name, Industry, Size, Status, Province, City, District, Street, Website, Tier, LastContactAt, OwnerId, CreatedAt, UpdatedAt, Version) " +
            "VALUES ($id, $number, $numberOrder, $name, $industry, $size, $status, $province, $city, $district, $street, $website, $tier, $last, $owner, $at, $at, 1)",
            "$id", "$number", "$numberOrder", "$name", "$industry", "$size", "$status", "$province", "$city", "$district", "$street", "$website", "$tier", "$last", "$owner", "$at");
        var contact = Prepare(connection, transaction,
            "INSERT INTO Contacts (Id, CustomerId, Name, Title, Mobile, Email, IsKey, HasLeft, CreatedAt, UpdatedAt, Version) VALUES ($id, $customer, $name, '采购经理', $mobile, $email, $key, 0, $at, $at, 1)",
            "$id", "$customer", "$name", "$mobile", "$email", "$key", "$at");
        var token = Prepare(connection, transaction,
            "INSERT OR IGNORE INTO CustomerSearchTokens (CustomerId, Kind, Token) VALUES ($customer, $kind, $token)",
            "$customer", "$kind", "$token");
        var order = Prepare(connection, transaction,
            "INSERT INTO Orders (Id, CustomerId, Number, SignedOn, AmountFen, Product, IsRenewal, CreatedAt, UpdatedAt, Version) VALUES ($id, $customer, $number, $signed, $fen, 'CRM 年度订阅', $renewal, $at, $at, 1)",
            "$id", "$customer", "$number", "$signed", "$fen", "$renewal", "$at");
        var tagged = Prepare(connection, transaction, "INSERT INTO CustomerTags (CustomerId, TagId) VALUES ($customer, $tag)", "$customer", "$tag");
        var tags = new List<string>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT Id FROM Tags ORDER BY Name";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tags.Add(reader.GetString(0));
            }
        }
        var orderNumber = 0;

        var random = new Random(20240101);
        var tagRandom = new Random(20261206);
        var now = DateTime.UtcNow;
        var year = DateTime.Now.Year;
        var recent = new List<(int City, int Industry, string Brand)>();
        for (var i = 1; i <= customers; i++)
        {
            var city = random.Next(Cities.Length);
            var industry = random.Next(Industries.Length);
            var brand = distinctNames
                ? new string([.. Enumerable.Range(0, 3).Select(_ => (char)(0x4E00 + random.Next(5000)))])
                : $"{Pool[random.Next(Pool.Length)]}{Pool[random.Next(Pool.Length)]}";
            var legalForm = "有限公司";
            if (distinctNames && recent.Count > 0 && i % 100 == 0)
            {
                (city, industry, brand) = recent[random.Next(recent.Count)];
                if (i % 200 == 0)
                {
                    legalForm = "股份有限公司"; // the same company again
                }
                else
                {
                    brand = brand[..2] + (char)(0x4E00 + random.Next(5000)); // one character apart
                }
            }
            if (distinctNames && recent.Count < 1000)
            {
                recent.Add((city, industry, brand));
            }
            else if (distinctNames)
            {
                recent[random.Next(recent.Count)] = (city, industry, brand);
            }
            var entity = new Customer { Number = CustomerNumbers.Format(year, i), Name = $"{Cities[city]}{brand}{Suffixes[industry]}{legalForm}" };
            var contacts = new List<Contact> { NewContact(random, entity, key: true) };
            if (random.Next(4) == 0)
            {
                contacts.Add(NewContact(random, entity, key: false));
            }
            var at = now.AddDays(-random.Next(0, 2000));
            Bind(customer, entity.Id, entity.Number, entity.NumberOrder, entity.Name, Industries[industry], Sizes[random.Next(Sizes.Length)], Statuses[random.Next(Statuses.Length)],
                Provinces[city], Cities[city], "高新区", $"科技路{random.Next(1, 999)}号", "https://www.example.com.cn", Tiers[random.Next(Tiers.Length)],
                random.Next(8) == 0 ? null : now.AddDays(-random.Next(0, 365)), owners[random.Next(owners.Count)], at);
            await customer.ExecuteNonQueryAsync();
            foreach (var c in contacts)
            {
                Bind(contact, c.Id, entity.Id, c.Name, c.Mobile, c.Email, c.IsKey ? 1 : 0, at);
                await contact.ExecuteNonQueryAsync();
            }
            foreach (var (kind, value) in CustomerSearch.TokensOf(entity, contacts))
            {
                Bind(token, entity.Id, kind, value);
                await token.ExecuteNonQueryAsync();
            }
            // A third of the customers carry one of the seeded tags or two (the list reads its page's tags).
            // Drawn from their own sequence, so the rest of the file is what it was before tags.
            var tagCount = tagRandom.Next(6) switch { 0 => 2, 1 => 1, _ => 0 };
            foreach (var tag in tags.OrderBy(_ => tagRandom.Next()).Take(tagCount))
            {
                Bind(tagged, entity.Id, tag);
                await tagged.ExecuteNonQueryAsync();
            }
            // 0 to 2×N orders a customer (N on average), one a year back from today, amounts spread over every tier.
            var orders = ordersPerCustomer == 0 ? 0 : random.Next(0, 2 * ordersPerCustomer + 1);
            var size = random.Next(5) switch { 0 => 600_000, 1 => 300_000, 2 => 100_000, _ => 20_000 };
            for (var k = 0; k < orders; k++)
            {
                var signed = DateOnly.FromDateTime(now).AddYears(-k).AddDays(-random.Next(1, 300));
                Bind(order, Guid.CreateVersion7(), entity.Id, $"BO{++orderNumber:D9}", signed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    (long)random.Next(size / 2, size * 3 / 2) * 100, k > 0 && random.Next(10) < 8 ? 1 : 0, at);
                await order.ExecuteNonQueryAsync();
            }
            if (i % 100_000 == 0)
            {
                Console.WriteLine($"  {i:N0} customers, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }
        await Execute(connection, $"UPDATE NumberSequences SET Last = {customers} WHERE Key = 'CRM{year}'", transaction);
        await transaction.CommitAsync();
        await Execute(connection, "ANALYZE; PRAGMA optimize;");
        Console.WriteLine($"generated {customers:N0} customers and {orderNumber:N0} orders into {path} in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(path).Length / 1024 / 1024} MB)");
    }

    private static Contact NewContact(Random random, Customer customer, bool key)
    {
        var name = $"{Surnames[random.Next(Surnames.Length)]}{Given[random.Next(Given.Length)]}{(random.Next(2) == 0 ? Given[random.Next(Given.Length)].ToString() : "")}";
        return new Contact
        {
            CustomerId = customer.Id,
            Name = name,
            Mobile = $"1{"35789"[random.Next(5)]}{random.Next(0, 1_000_000_000):D9}",
            Email = $"u{random.Next(0, 100_000_000):D8}@example.com.cn",
            IsKey = key,
        };
    }

    private static async Task<List<Guid>> AddSalesTeamsAsync(DatabaseSettings settings)
    {
        await using var db = DomainServices.CreateSystemContext(settings, TimeProvider.System);
        for (var t = 1; t <= 10; t++)
        {
            var team = new Team { Name = $"销售{t}组" };
            db.Teams.Add(team);
            for (var r = 1; r <= 10; r++)
            {
                var rep = new AppUser { ExternalId = $"bench-rep-{t}-{r}", DisplayName = $"销售{t}-{r}", Roles = nameof(Role.SalesRep) };
                rep.Memberships.Add(new TeamMembership { TeamId = team.Id, UserId = rep.Id });
                db.Users.Add(rep);
            }
        }
        await db.SaveChangesAsync();
        return await db.Users.Where(u => u.Roles == nameof(Role.SalesRep)).Select(u => u.Id).ToListAsync();
    }

    internal static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        return command;
    }

    /// <summary>Binds values in order, stored as EF Core stores them on SQLite (GUIDs as upper-case text).</summary>
    internal static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                Guid g => g.ToString().ToUpperInvariant(),
                var v => v,
            };
        }
    }

    internal static async Task Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
