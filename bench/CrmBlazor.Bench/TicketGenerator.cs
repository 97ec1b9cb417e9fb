using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Dictionaries;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.WorkingTime;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using static CrmBlazor.Bench.Generator;

namespace CrmBlazor.Bench;

/// <summary>
/// Adds a service desk to a database <see cref="Generator"/> made (issue 13): 20 ticket categories, 10 support
/// groups of 8 CustomerService agents and a supervisor (round-robin and least-loaded alternating), and N tickets
/// over random customers, each walked through <see cref="TicketTransitions"/> so its SLA instants, pauses and
/// history are the ones the Domain would store. Deterministic: a fixed seed, and "now" rounded to the hour.
/// </summary>
public static class TicketGenerator
{
    public const int Groups = 10;
    public const int AgentsPerGroup = 8;

    /// <summary>Besides the three seeded categories (bug, usage, data): code, Chinese label, English label.</summary>
    private static readonly (string Code, string Zh, string En)[] MoreCategories =
    [
        ("login", "登录问题", "Sign-in"), ("report", "报表问题", "Reports"), ("import", "导入导出", "Import and export"),
        ("permission", "权限配置", "Permissions"), ("integration", "系统集成", "Integration"), ("performance", "性能问题", "Performance"),
        ("billing", "账单发票", "Billing"), ("mobile", "移动端", "Mobile app"), ("workflow", "流程审批", "Workflow"),
        ("training", "培训需求", "Training"), ("account", "账号管理", "Accounts"), ("mail", "邮件通知", "E-mail notifications"),
        ("api", "接口调用", "API"), ("upgrade", "版本升级", "Upgrades"), ("security", "安全合规", "Security"),
        ("hardware", "硬件设备", "Hardware"), ("other", "其他", "Other"),
    ];

    private static readonly string[] Problems =
    [
        "无法登录系统", "报表数据与实际不符", "导入客户时报错", "页面加载很慢", "权限设置后仍看不到数据", "接口返回超时",
        "发票抬头需要修改", "手机端无法同步", "审批流程卡住", "需要安排操作培训", "账号被锁定", "收不到邮件提醒",
    ];

    private static readonly string[] Modules = ["客户管理", "报表中心", "工单", "审批流", "移动端", "开放接口"];

    public static async Task RunAsync(string path, int tickets, int open)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: make a customer database first with `generate --customers N --db FILE`.", path);
        }
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        var clock = Stopwatch.StartNew();
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: false, demoCustomers: 0, NullLogger.Instance);
        Console.WriteLine($"  schema up to date, {clock.Elapsed.TotalSeconds:F0} s");

        var now = DateTime.UtcNow;
        now = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var desk = await AddServiceDeskAsync(settings);
        var (customerIds, tiers) = await LoadCustomersAsync(path);
        Console.WriteLine($"  {Groups} support groups, {customerIds.Length:N0} customers loaded, {clock.Elapsed.TotalSeconds:F0} s");

        var random = new Random(20261201);
        // Open tickets were logged in the last 30 days (most of them recently); the others over the last two years.
        var opened = new List<(DateTime At, bool Open)>(tickets);
        for (var i = 0; i < tickets; i++)
        {
            var isOpen = i < open;
            var ageMinutes = isOpen ? 30 * 24 * 60 * Math.Pow(random.NextDouble(), 2) : random.Next(10 * 24 * 60, 730 * 24 * 60);
            opened.Add((now.AddMinutes(-Math.Max(5, ageMinutes)), isOpen));
        }
        opened.Sort((a, b) => a.At.CompareTo(b.At));

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;");
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var insertTicket = Prepare(connection, transaction,
            "INSERT INTO Tickets (Id, Number, CustomerId, ContactId, Category, ProductModule, Title, Description, Severity, Channel, Status, GroupId, AssigneeId, " +
            "QueueReason, SlaMode, ResponseTargetMinutes, ResolutionTargetMinutes, OpenedAt, ResponseDueAt, ResolutionDueAt, FirstResponseAt, ResolvedAt, ClosedAt, " +
            "PausedSince, PausedMinutes, ReopenedFromId, ReopenCount, HistoryCount, CreatedAt, CreatedBy, UpdatedAt, UpdatedBy, Version) VALUES " +
            "($id, $number, $customer, $contact, $category, $module, $title, $description, $severity, $channel, $status, $group, $assignee, " +
            "$queue, $mode, $responseTarget, $resolutionTarget, $opened, $responseDue, $resolutionDue, $firstResponse, $resolved, $closed, " +
            "$paused, $pausedMinutes, NULL, 0, $historyCount, $opened, $createdBy, $updated, $updatedBy, $version)",
            "$id", "$number", "$customer", "$contact", "$category", "$module", "$title", "$description", "$severity", "$channel", "$status", "$group", "$assignee",
            "$queue", "$mode", "$responseTarget", "$resolutionTarget", "$opened", "$responseDue", "$resolutionDue", "$firstResponse", "$resolved", "$closed",
            "$paused", "$pausedMinutes", "$historyCount", "$createdBy", "$updated", "$updatedBy", "$version");
        var insertHistory = Prepare(connection, transaction,
            "INSERT INTO TicketHistory (Id, TicketId, Sequence, At, ByUserId, ByName, Field, \"From\", \"To\") VALUES ($id, $ticket, $sequence, $at, $by, $name, $field, $from, $to)",
            "$id", "$ticket", "$sequence", "$at", "$by", "$name", "$field", "$from", "$to");
        var keyContact = Prepare(connection, transaction, "SELECT Id FROM Contacts WHERE CustomerId = $customer AND IsKey LIMIT 1", "$customer");

        var numbers = new Dictionary<int, int>();
        var turns = new int[Groups];
        var histories = 0;
        var statuses = new Dictionary<TicketStatus, int>();
        foreach (var (at, isOpen) in opened)
        {
            var year = TimeZoneInfo.ConvertTimeFromUtc(at, desk.Zone).Year;
            numbers[year] = numbers.GetValueOrDefault(year) + 1;
            var customer = random.Next(customerIds.Length);
            var severity = random.Next(100) switch { < 5 => TicketSeverity.Critical, < 25 => TicketSeverity.High, < 75 => TicketSeverity.Medium, _ => TicketSeverity.Low };
            var category = desk.Categories[Weighted(random, desk.CategoryWeights)];
            var groupIndex = desk.GroupOfCategory[category];
            var targets = SlaDefaults.Resolve(desk.Policies, severity, tiers[customer]);
            var ticket = new Ticket
            {
                Id = Guid.CreateVersion7(at),
                Number = $"TK{year}{numbers[year]:00000}",
                CustomerId = customerIds[customer],
                Category = category,
                Title = Problems[random.Next(Problems.Length)],
                Description = "客户来电反映：" + Problems[random.Next(Problems.Length)] + "，影响日常使用，请尽快处理。",
                ProductModule = random.Next(3) == 0 ? null : Modules[random.Next(Modules.Length)],
                Severity = severity,
                Channel = (TicketChannel)random.Next(4),
                Status = TicketStatus.New,
                GroupId = desk.GroupIds[groupIndex],
                SlaMode = targets.Mode,
                ResponseTargetMinutes = targets.ResponseMinutes,
                ResolutionTargetMinutes = targets.ResolutionMinutes,
                OpenedAt = at,
                ResponseDueAt = SlaClock.DueAt(at, targets.ResponseMinutes, targets.Mode, desk.Calendar, TimeSpan.Zero),
                ResolutionDueAt = SlaClock.DueAt(at, targets.ResolutionMinutes, targets.Mode, desk.Calendar, TimeSpan.Zero),
            };
            if (random.Next(10) < 7)
            {
                Bind(keyContact, ticket.CustomerId);
                ticket.ContactId = await keyContact.ExecuteScalarAsync() is string contact ? Guid.Parse(contact) : null;
            }
            var creator = desk.Agents[random.Next(desk.Agents.Count)];
            var history = new List<(DateTime At, string Field, string? From, string? To)> { (at, TicketFields.Created, null, ticket.Number) };
            var lastChange = at;
            void Move(TicketStatus to, DateTime when)
            {
                history.Add((when, TicketFields.Status, ticket.Status.ToString(), to.ToString()));
                TicketTransitions.Apply(ticket, to, when, desk.Calendar);
                lastChange = when;
            }

            // A few open tickets wait in the queue: nobody in the group was there to take them.
            if (isOpen && random.Next(100) < 3)
            {
                ticket.QueueReason = TicketQueueReason.NobodyEligible;
            }
            else
            {
                var agents = desk.AgentsOfGroup[groupIndex];
                ticket.AssigneeId = agents[turns[groupIndex]++ % agents.Count].Id;
                history.Add((at, TicketFields.Assignee, null, desk.Names[ticket.AssigneeId.Value]));
                Move(TicketStatus.Assigned, at);
                // The span this ticket lived until now (open) or until it was resolved: moves happen within it, in order.
                var life = isOpen ? now - at : TimeSpan.FromMinutes(ticket.ResolutionTargetMinutes * (0.2 + 2 * random.NextDouble()));
                var end = at + life;
                var target = isOpen ? OpenStatus(random) : TicketStatus.Closed;
                if (target != TicketStatus.Assigned)
                {
                    var responded = at + life * (0.05 + 0.25 * random.NextDouble());
                    Move(TicketStatus.InProgress, responded);
                    if (target == TicketStatus.WaitingForCustomer || random.Next(10) < 3)
                    {
                        Move(TicketStatus.WaitingForCustomer, responded + (end - responded) * (0.3 + 0.3 * random.NextDouble()));
                        if (target != TicketStatus.WaitingForCustomer)
                        {
                            Move(TicketStatus.InProgress, lastChange + (end - lastChange) * (0.3 + 0.4 * random.NextDouble()));
                        }
                    }
                    if (target == TicketStatus.Closed)
                    {
                        Move(TicketStatus.Resolved, end);
                        var closed = end.AddDays(random.Next(1, 8));
                        if (closed < now && random.Next(10) < 8)
                        {
                            Move(TicketStatus.Closed, closed);
                        }
                    }
                }
            }
            statuses[ticket.Status] = statuses.GetValueOrDefault(ticket.Status) + 1;

            var assignee = ticket.AssigneeId;
            // Created, the assignment and the move to assigned are the creator's (one call to CreateAsync); later moves the assignee's.
            Bind(insertTicket, ticket.Id, ticket.Number, ticket.CustomerId, ticket.ContactId, ticket.Category, ticket.ProductModule, ticket.Title, ticket.Description,
                ticket.Severity.ToString(), ticket.Channel.ToString(), ticket.Status.ToString(), ticket.GroupId, assignee, ticket.QueueReason.ToString(),
                ticket.SlaMode.ToString(), ticket.ResponseTargetMinutes, ticket.ResolutionTargetMinutes, ticket.OpenedAt, ticket.ResponseDueAt, ticket.ResolutionDueAt,
                ticket.FirstResponseAt, ticket.ResolvedAt, ticket.ClosedAt, ticket.PausedSince, ticket.PausedMinutes, history.Count, creator.Id, lastChange,
                assignee ?? creator.Id, history.Count);
            await insertTicket.ExecuteNonQueryAsync();
            for (var h = 0; h < history.Count; h++)
            {
                var by = h < 3 ? creator : desk.Agents.First(a => a.Id == assignee);
                Bind(insertHistory, Guid.CreateVersion7(history[h].At), ticket.Id, h + 1, history[h].At, by.Id, desk.Names[by.Id], history[h].Field, history[h].From, history[h].To);
                await insertHistory.ExecuteNonQueryAsync();
            }
            histories += history.Count;
            if ((histories - history.Count) / 250_000 != histories / 250_000)
            {
                Console.WriteLine($"  {histories:N0} history rows, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }
        foreach (var (year, last) in numbers)
        {
            await Execute(connection, $"INSERT INTO NumberSequences (Key, Last) VALUES ('ticket:{year}', {last}) ON CONFLICT (Key) DO UPDATE SET Last = max(Last, excluded.Last)", transaction);
        }
        await transaction.CommitAsync();
        await Execute(connection, "ANALYZE Tickets; ANALYZE TicketHistory; ANALYZE SupportGroups; ANALYZE SupportGroupMembers; ANALYZE SupportGroupCategories; ANALYZE Users; PRAGMA optimize;");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated {tickets:N0} tickets ({string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value:N0}"))}) and {histories:N0} history rows into {path} in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>Where an open ticket stands now.</summary>
    private static TicketStatus OpenStatus(Random random) => random.Next(100) switch
    {
        < 30 => TicketStatus.Assigned,
        < 75 => TicketStatus.InProgress,
        _ => TicketStatus.WaitingForCustomer,
    };

    private static int Weighted(Random random, int[] weights)
    {
        var pick = random.Next(weights.Sum());
        for (var i = 0; ; i++)
        {
            pick -= weights[i];
            if (pick < 0)
            {
                return i;
            }
        }
    }

    private sealed record Desk(
        List<Guid> GroupIds, List<string> Categories, int[] CategoryWeights, Dictionary<string, int> GroupOfCategory,
        List<List<AppUser>> AgentsOfGroup, List<AppUser> Agents, Dictionary<Guid, string> Names, List<SlaPolicy> Policies,
        WorkingCalendar Calendar, TimeZoneInfo Zone);

    /// <summary>The categories, users and groups, through EF (a few hundred rows); refuses a database that has tickets already.</summary>
    private static async Task<Desk> AddServiceDeskAsync(DatabaseSettings settings)
    {
        await using var db = DomainServices.CreateSystemContext(settings, TimeProvider.System);
        if (await db.Tickets.AnyAsync() || await db.SupportGroups.AnyAsync())
        {
            throw new InvalidOperationException("This database has tickets or support groups already: generate-tickets adds them once, to a fresh customer database.");
        }
        var order = await db.DictionaryItems.CountAsync(d => d.Kind == DictionaryKind.TicketCategory);
        foreach (var (code, zh, en) in MoreCategories)
        {
            db.DictionaryItems.Add(new DictionaryItem { Kind = DictionaryKind.TicketCategory, Code = code, LabelZh = zh, LabelEn = en, Order = order++ });
        }
        await db.SaveChangesAsync();
        var categories = await db.DictionaryItems.Where(d => d.Kind == DictionaryKind.TicketCategory).OrderBy(d => d.Order).Select(d => d.Code).ToListAsync();

        var groups = new List<SupportGroup>();
        var agentsOfGroup = new List<List<AppUser>>();
        for (var g = 0; g < Groups; g++)
        {
            var agents = Enumerable.Range(1, AgentsPerGroup)
                .Select(a => new AppUser { ExternalId = $"bench-cs-{g + 1}-{a}", DisplayName = $"客服{g + 1}-{a}", Roles = nameof(Role.CustomerService) }).ToList();
            var supervisor = new AppUser { ExternalId = $"bench-cs-sup-{g + 1}", DisplayName = $"客服主管{g + 1}", Roles = nameof(Role.Supervisor) };
            db.Users.AddRange(agents);
            db.Users.Add(supervisor);
            var group = new SupportGroup { Name = $"客服{g + 1}组", Strategy = g % 2 == 0 ? AssignmentStrategy.RoundRobin : AssignmentStrategy.LeastLoaded };
            group.Members.AddRange(agents.Select(a => new SupportGroupMember { GroupId = group.Id, UserId = a.Id, Role = SupportGroupRole.Agent }));
            group.Members.Add(new SupportGroupMember { GroupId = group.Id, UserId = supervisor.Id, Role = SupportGroupRole.Supervisor });
            groups.Add(group);
            agentsOfGroup.Add(agents);
        }
        // Categories go round the groups (two each); their weights differ, so groups carry different loads (the first the most).
        var groupOfCategory = categories.Select((c, i) => (c, i % Groups)).ToDictionary(x => x.c, x => x.Item2);
        foreach (var (category, g) in groupOfCategory)
        {
            groups[g].Categories.Add(new SupportGroupCategory { GroupId = groups[g].Id, Category = category });
        }
        db.SupportGroups.AddRange(groups);
        await db.SaveChangesAsync();

        var weights = categories.Select((_, i) => i % Groups == 0 ? 30 : 10 + (i * 7 % 11)).ToArray();
        var policies = await db.SlaPolicies.AsNoTracking().ToListAsync();
        var hours = await db.WorkingHours.AsNoTracking().SingleOrDefaultAsync() ?? new WorkingHours();
        var days = await db.CalendarDays.AsNoTracking().ToDictionaryAsync(d => d.Date, d => d.IsWorkingDay);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(new CrmBlazor.Domain.Common.CompanyOptions().TimeZone);
        var allAgents = agentsOfGroup.SelectMany(a => a).ToList();
        return new Desk(groups.Select(g => g.Id).ToList(), categories, weights, groupOfCategory, agentsOfGroup, allAgents,
            allAgents.ToDictionary(a => a.Id, a => a.DisplayName), policies, new WorkingCalendar(zone, hours.Start, hours.End, days), zone);
    }

    private static async Task<(Guid[] Ids, string?[] Tiers)> LoadCustomersAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, Tier FROM Customers ORDER BY Id";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        var tiers = new List<string?>();
        while (await reader.ReadAsync())
        {
            ids.Add(Guid.Parse(reader.GetString(0)));
            tiers.Add(reader.IsDBNull(1) ? null : reader.GetString(1));
        }
        return ([.. ids], [.. tiers]);
    }
}
