using System.Diagnostics;
using System.Globalization;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>
/// The service desk at scale (issue 13) on a database <see cref="TicketGenerator"/> filled: the board and the list of
/// the busiest support group as its supervisor, an agent's own open tickets, and creating tickets with auto-assignment
/// as a CustomerService user, each through the Domain service the page calls. Prints p50 / p95 and a markdown table.
/// </summary>
public static class TicketBenchmark
{
    public static async Task RunAsync(string path, int runs)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}");
        // Indexes added since the file was generated arrive through the real migrations.
        await DatabaseInitializer.InitializeAsync(settings, TimeProvider.System, seedDemoData: false, demoCustomers: 0, NullLogger.Instance);
        Guid groupId, supervisorId, agentId, creatorId;
        string groupName;
        int total, open, inGroup, openInGroup, agentOpen;
        List<Guid> customers;
        List<string> categories;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            total = await db.Tickets.CountAsync();
            open = await db.Tickets.CountAsync(t => t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed);
            var busiest = await db.Tickets.GroupBy(t => t.GroupId).Select(g => new { g.Key, Count = g.Count() }).OrderByDescending(g => g.Count).FirstAsync();
            groupId = busiest.Key!.Value;
            inGroup = busiest.Count;
            openInGroup = await db.Tickets.CountAsync(t => t.GroupId == groupId && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed);
            groupName = await db.SupportGroups.Where(g => g.Id == groupId).Select(g => g.Name).SingleAsync();
            supervisorId = await db.SupportGroupMembers.Where(m => m.GroupId == groupId && m.Role == SupportGroupRole.Supervisor).Select(m => m.UserId).FirstAsync();
            var agents = await db.SupportGroupMembers.Where(m => m.GroupId == groupId && m.Role == SupportGroupRole.Agent).Select(m => m.UserId).ToListAsync();
            agentId = agents.Min();
            agentOpen = await db.Tickets.CountAsync(t => t.AssigneeId == agentId && t.Status != TicketStatus.Resolved && t.Status != TicketStatus.Closed);
            creatorId = await db.Users.Where(u => u.ExternalId == "bench-cs-2-1").Select(u => u.Id).SingleAsync();
            customers = await db.Customers.OrderBy(c => c.NumberOrder).Select(c => c.Id).Take(runs + 20).ToListAsync();
            categories = await db.SupportGroupCategories.OrderBy(c => c.Category).Select(c => c.Category).ToListAsync();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total:N0} tickets ({open:N0} open) in {path}; group {groupName}: {inGroup:N0} tickets, {openInGroup:N0} open; its first agent has {agentOpen:N0} open; {runs} timed runs after 20 warm-up runs; {Environment.ProcessorCount} cores"));

        var supervisor = new BenchUser(supervisorId, [], new HashSet<Role> { Role.Supervisor });
        var agent = new BenchUser(agentId, [], new HashSet<Role> { Role.CustomerService });
        var creator = new BenchUser(creatorId, [], new HashSet<Role> { Role.CustomerService });
        var asSupervisor = Services(settings, supervisor);
        var asAgent = Services(settings, agent);
        var asCreator = Services(settings, creator);
        var group = new TicketFilter(GroupId: groupId);

        var rows = new List<Row>
        {
            await MeasureAsync("board: one group, supervisor (counts + 100 cards a column)", runs,
                async () => (await asSupervisor.GetRequiredService<TicketQueries>().BoardAsync(group)).Sum(c => c.Count)),
            await MeasureAsync("list: one group by urgency, page 1", runs,
                async () => (await asSupervisor.GetRequiredService<TicketQueries>().ListAsync(group, TicketSort.Urgency, skip: 0, take: 50)).TotalCount),
            await MeasureAsync("list: one group by urgency, page 20", runs,
                async () => (await asSupervisor.GetRequiredService<TicketQueries>().ListAsync(group, TicketSort.Urgency, skip: 19 * 50, take: 50)).TotalCount),
            await MeasureAsync("list: one group's open tickets by urgency, page 1", runs,
                async () => (await asSupervisor.GetRequiredService<TicketQueries>().ListAsync(group with { OpenOnly = true }, TicketSort.Urgency, skip: 0, take: 50)).TotalCount),
            await MeasureAsync("my open tickets (an agent, by urgency)", runs,
                async () => (await asAgent.GetRequiredService<TicketQueries>().MyOpenAsync()).Count),
        };
        // The SLA pass (TicketSlaJob, every minute on every instance): the first pass catches up on whatever fell due
        // since the file was made (capped per stage), then passes with nothing new to tell, as most minutes are.
        var job = Services(settings, SystemUser.Instance).GetRequiredService<TicketSlaJob>();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await job.RunAsync();
        clock.Stop();
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SLA pass, catching up: {clock.Elapsed.TotalMilliseconds:F0} ms; peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB; {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024 / 1024} MB allocated"));
        }
        rows.Add(await MeasureAsync("SLA pass over every open ticket, nothing new due", Math.Min(runs, 50), async () =>
        {
            await job.RunAsync();
            return open;
        }));
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"after the SLA passes: peak working set {process.PeakWorkingSet64 / 1024 / 1024} MB"));
        }
        var next = 0;
        rows.Add(await MeasureAsync("create a ticket with auto-assignment (CustomerService)", runs, async () =>
        {
            var i = next++;
            var created = await asCreator.GetRequiredService<TicketService>().CreateAsync(new TicketInput(customers[i % customers.Count], null,
                categories[i % categories.Count], "工单", "基准测试：无法导出报表", "客户反映导出报表时页面无响应。", (TicketSeverity)(i % 4), TicketChannel.Phone));
            return created.AssigneeId is null ? 0 : 1;
        }));

        Console.WriteLine();
        Console.WriteLine("| measured | rows | p50 ms | p95 ms | target p95 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            var target = r.Name.StartsWith("create", StringComparison.Ordinal) ? 20 : r.Name.StartsWith("SLA", StringComparison.Ordinal) ? 1000 : 50;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Rows:N0} | {r.P50:F1} | {r.P95:F1} | ≤ {target} ms {(r.P95 <= target ? "met" : "MISSED")} |"));
        }
    }

    private sealed record Row(string Name, int Rows, double P50, double P95);

    /// <summary>What a circuit has: the Domain services over a scoped context factory, acting as one user.</summary>
    private static IServiceProvider Services(DatabaseSettings settings, ICurrentUser user)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped(_ => user);
        return services.BuildServiceProvider().CreateScope().ServiceProvider;
    }

    /// <summary>20 warm-up calls, then <paramref name="runs"/> timed; the rows figure is what the last call returned.</summary>
    private static async Task<Row> MeasureAsync(string name, int runs, Func<Task<int>> action)
    {
        var rows = 0;
        for (var i = 0; i < 20; i++)
        {
            rows = await action();
        }
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            rows = await action();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        var row = new Row(name, rows, times[runs / 2], times[Math.Min(runs - 1, (int)Math.Ceiling(runs * 0.95) - 1)]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: p50 {row.P50:F1} ms, p95 {row.P95:F1} ms"));
        return row;
    }
}
