using System.Diagnostics;
using System.Globalization;
using System.Net;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using CrmBlazor.Domain.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace CrmBlazor.Bench;

/// <summary>
/// End-to-end live latency (issue 4): this process plays instance A, saving a notification with the
/// Domain's <see cref="NotificationService"/> and publishing through Redis; the built server runs as
/// instance B on the same SQLite file and Redis channel; a user's page in Chromium is connected to B.
/// Measured: from just before the save on A to the moment B's SignalR push has changed the bell's
/// badge in the page (a MutationObserver's wall-clock time, same machine clock). Each round then reads
/// the notification so the badge goes back to nothing before the next one.
/// </summary>
public static class BrowserLatencyBenchmark
{
    private const string Observer = """
        () => {
            window.__bell = [];
            const badge = document.querySelector('.crm-bell-badge');
            new MutationObserver(() => window.__bell.push({ t: performance.timeOrigin + performance.now(), text: badge.textContent.trim() }))
                .observe(badge, { subtree: true, childList: true, characterData: true, attributes: true });
        }
        """;

    public static async Task RunAsync(string redis, int count, string chromium)
    {
        if (BenchServer.BuiltServer() is not { } server)
        {
            return;
        }
        var work = Directory.CreateTempSubdirectory("crm-bench-live");
        var database = Path.Combine(work.FullName, "crm.db");
        var channel = $"crmblazor:bench-live:{Guid.NewGuid():N}";
        var port = BenchServer.FreePort();
        using var app = BenchServer.Start(server, port, new()
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={database}",
            ["Database__DemoCustomers"] = "20",
            ["Redis__Configuration"] = redis,
            ["Redis__Channel"] = channel,
        });
        try
        {
            var address = $"http://127.0.0.1:{port}";
            await BenchServer.WaitUntilReadyAsync(address);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
            var page = await (await browser.NewContextAsync(new() { BaseURL = address, Locale = "zh-CN" })).NewPageAsync();
            await page.GotoAsync("/account/signin");
            await page.Locator("button[data-user='demo-salesrep2']").ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));
            await page.Locator(".crm-shell[data-interactive='true']").WaitForAsync();
            await page.EvaluateAsync(Observer);

            var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={database}");
            Guid userId;
            await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
            {
                userId = await db.Users.Where(u => u.ExternalId == "demo-salesrep2").Select(u => u.Id).SingleAsync();
            }
            using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
            using var bus = new RedisLiveEvents(connection, new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance), NullLogger<RedisLiveEvents>.Instance, channel);
            await Task.Delay(500);
            var factory = new BenchContextFactory(settings);
            var user = new BenchUser(userId, [], new HashSet<CrmBlazor.Domain.Access.Role> { CrmBlazor.Domain.Access.Role.SalesRep });
            var notifications = new NotificationService(factory, user, bus, TimeProvider.System);

            var latencies = new List<double>();
            for (var i = 0; i < count + 10; i++)
            {
                var startPrecise = UnixMillisecondsNow(); // wall clock, as the page's timestamps
                await notifications.NotifyAsync(userId, NotificationKinds.TodoAssigned, ["基准", $"第 {i} 条", "基准客户"], null, $"bench:{Guid.NewGuid():N}");
                var shownAt = await page.EvaluateAsync<double>(
                    "async since => { for (;;) { const hit = window.__bell.find(c => c.t >= since && c.text === '1'); if (hit) return hit.t; await new Promise(r => setTimeout(r, 2)); } }",
                    startPrecise);
                if (i >= 10)
                {
                    latencies.Add(shownAt - startPrecise); // the first ten warm up the circuit and the JIT
                }
                await notifications.MarkReadAsync(null);
                await page.WaitForFunctionAsync("() => document.querySelector('.crm-bell-badge').textContent.trim() === ''");
                await page.EvaluateAsync("() => { window.__bell = []; }");
            }

            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{latencies.Count} notifications saved on instance A (this process) → Redis → instance B (the server) → SignalR → the bell in Chromium: p50 {latencies[latencies.Count / 2]:F1} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F1} ms, max {latencies[^1]:F1} ms ({Environment.ProcessorCount} cores)"));
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            work.Delete(recursive: true);
        }
    }

    private static double UnixMillisecondsNow() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}
