using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Data;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CrmBlazor.Bench;

/// <summary>
/// Issue 18's live-board load: the built server on a demo database, N real circuits on the demand board and the tier
/// dashboard, then card moves made through the REST API by another client. <c>--browser-boards</c> of the boards (10 by
/// default) are headless Chromium pages (several per signed-in browser context); the other circuits are held by
/// <see cref="CircuitClient"/>, which speaks Blazor's circuit protocol without a browser, so the 2 cores are left to the server
/// being measured. Measured on the server: memory per idle circuit (working set and live managed objects, the growth from a
/// warmed-up baseline divided by the circuits added), and per move the time from the save until the last board's render
/// batch was handed to SignalR (the server's own <c>crm.live_events.render_lag</c> histogram, read from its Prometheus
/// endpoint: one measurement per board, so a move is complete when every board has reported). On up to 10 Chromium pages,
/// the time from the request until the card stands in its new column (a MutationObserver's wall clock).
/// </summary>
public static class BoardLoadBenchmark
{
    private const string Watch = """
        () => {
            window.__moves = [];
            new MutationObserver(() => {
                const w = window.__watch;
                if (w && !w.seen && document.querySelector(`.crm-board-column[data-status='${w.to}'] .crm-demand-card[data-number='${w.number}']`)) {
                    w.seen = performance.timeOrigin + performance.now();
                }
            }).observe(document.querySelector('.crm-board-columns'), { subtree: true, childList: true });
        }
        """;

    public static async Task RunAsync(int boards, int dashboards, int moves, int pagesPerContext, string chromium, int holdSeconds, int customers, int browserBoards)
    {
        if (BenchServer.BuiltServer() is not { } server)
        {
            return;
        }
        if (boards < 1)
        {
            throw new ArgumentException("--boards must be at least 1.");
        }
        browserBoards = Math.Clamp(browserBoards, 1, boards); // at least one page: the moves read their card from it
        var work = Directory.CreateTempSubdirectory("crm-bench-boards");
        var database = Path.Combine(work.FullName, "crm.db");
        var port = BenchServer.FreePort();
        var address = $"http://127.0.0.1:{port}";
        var clients = new List<CircuitClient>();
        using var app = BenchServer.Start(server, port, new()
        {
            ["ConnectionStrings__Sqlite"] = $"Data Source={database}",
            ["Database__DemoCustomers"] = customers.ToString(CultureInfo.InvariantCulture), // a demand for every other customer
            ["OpenTelemetry__Prometheus__Enabled"] = "true",
            ["RateLimits__Api__PermitLimit"] = "1000000",
        });
        try
        {
            await BenchServer.WaitUntilReadyAsync(address, seconds: 300);
            var settings = new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={database}");
            using var api = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            api.DefaultRequestHeaders.Add("X-Api-Key", await BenchApiKey.IssueAdminAsync(settings));
            using var metrics = new HttpClient { BaseAddress = new Uri(address) };

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--renderer-process-limit=6", "--disable-renderer-backgrounding", "--disable-background-timer-throttling"],
            });
            var opener = new PageOpener(browser, address, pagesPerContext);
            // Circuits beyond the browser pages are held by CircuitClient: the same server-side circuit, without a browser's CPU.
            var headless = browserBoards < boards ? new ClientOpener(new Uri(address), await CircuitClient.SignInAsync(new Uri(address), "demo-supervisor", CancellationToken.None), clients) : null;

            // Warm-up: the JIT, the caches and the first circuits are not per-circuit cost.
            var warmPages = Math.Min(6, browserBoards);
            var warmClients = headless is null ? 0 : Math.Min(2, boards - browserBoards);
            var boardPages = await opener.OpenAsync("/demands", ".crm-demand-card", warmPages);
            await opener.OpenAsync("/dashboard/tiers", ".crm-dashboard-total", 2);
            if (headless is not null)
            {
                await headless.OpenAsync("/demands", warmClients);
                if (dashboards > 0)
                {
                    await headless.OpenAsync("/dashboard/tiers", 1); // so that no dashboard measured is a CircuitClient's first
                }
            }
            Console.WriteLine($"{customers} demo customers; the supervisor's demand board shows {await boardPages[0].Locator(".crm-demand-card").CountAsync()} cards");
            var baseline = await MemoryAsync(app, metrics, "after the warm-up pages");

            var stopwatch = Stopwatch.StartNew();
            boardPages.AddRange(await opener.OpenAsync("/demands", ".crm-demand-card", browserBoards - warmPages));
            if (headless is not null)
            {
                await headless.OpenAsync("/demands", boards - browserBoards - warmClients);
            }
            var added = boards - warmPages - warmClients;
            Console.WriteLine($"{added} more demand boards opened in {stopwatch.Elapsed.TotalSeconds:F0} s ({browserBoards} of the {boards} in Chromium, {boards - browserBoards} by CircuitClient)");
            var afterBoards = await MemoryAsync(app, metrics, $"{boards} demand boards open");
            stopwatch.Restart();
            if (headless is not null)
            {
                await headless.OpenAsync("/dashboard/tiers", dashboards);
            }
            else
            {
                await opener.OpenAsync("/dashboard/tiers", ".crm-dashboard-total", dashboards);
            }
            Console.WriteLine($"{dashboards} more tier dashboards opened in {stopwatch.Elapsed.TotalSeconds:F0} s");
            var afterDashboards = await MemoryAsync(app, metrics, $"and {dashboards + 2 + (headless is not null && dashboards > 0 ? 1 : 0)} tier dashboards");

            // --boards 6 opens the warm-up alone (the heap-dump recipe in the README compares it with 16): no circuit to divide by.
            Console.WriteLine(added <= 0 ? "no demand board beyond the warm-up: no per-circuit figure" : string.Create(CultureInfo.InvariantCulture,
                $"per idle demand-board circuit: working set {(afterBoards.WorkingSet - baseline.WorkingSet) / 1024.0 / added:F0} KB, live managed objects {(afterBoards.Heap - baseline.Heap) / 1024.0 / added:F0} KB"));
            if (dashboards > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"per idle tier-dashboard circuit: working set {(afterDashboards.WorkingSet - afterBoards.WorkingSet) / 1024.0 / dashboards:F0} KB, live managed objects {(afterDashboards.Heap - afterBoards.Heap) / 1024.0 / dashboards:F0} KB"));
            }

            if (holdSeconds > 0)
            {
                Console.WriteLine($"holding {holdSeconds} s: the server is process {app.Id} (dotnet-gcdump collect -p {app.Id})");
                await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
            }
            await MovesAsync(api, metrics, boardPages, boards, moves, settings);

            var reconnecting = 0;
            foreach (var page in opener.All)
            {
                reconnecting += await page.EvaluateAsync<bool>("() => document.getElementById('components-reconnect-modal')?.open === true") ? 1 : 0;
            }
            var circuits = Gauge(await metrics.GetStringAsync("/metrics"), "crm_circuits_open");
            var failed = clients.Where(c => c.Error is not null || !c.IsConnected).ToList();
            Console.WriteLine($"at the end: {opener.All.Count} pages, {reconnecting} of them showing the reconnect banner; {clients.Count} CircuitClients ({clients.Sum(c => c.RenderBatches)} render batches received and acknowledged), {failed.Count} of them disconnected or told of an error{(failed.Count > 0 ? $" (first: {failed[0].Error})" : "")}; {circuits} circuits open on the server");
        }
        finally
        {
            await Task.WhenAll(clients.Select(client => client.DisposeAsync().AsTask()));
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            work.Delete(recursive: true);
        }
    }

    /// <summary>Moves one card open ↔ in progress <paramref name="moves"/> times through the API, each after the last has reached every board.</summary>
    private static async Task MovesAsync(HttpClient api, HttpClient metrics, List<IPage> boardPages, int boards, int moves, DatabaseSettings settings)
    {
        var first = boardPages[0];
        var number = await first.Locator(".crm-board-column[data-status='Open'] .crm-demand-card").First.GetAttributeAsync("data-number")
            ?? throw new InvalidOperationException("No open demand on the board.");
        Guid id;
        await using (var db = DomainServices.CreateSystemContext(settings, TimeProvider.System))
        {
            id = await db.Demands.Where(d => d.Number == number).Select(d => d.Id).SingleAsync();
        }
        var sampled = boardPages.Where((_, i) => i % Math.Max(1, boardPages.Count / 10) == 0).Take(10).ToList();
        foreach (var page in sampled)
        {
            await page.EvaluateAsync(Watch);
        }

        var lastBoardMs = new List<double>();
        var visibleMs = new List<double>();
        var incomplete = 0;
        const int warmUpMoves = 2; // the first moves JIT the paths a move takes through every circuit
        for (var move = -warmUpMoves; move < moves; move++)
        {
            var (to, column) = (move + warmUpMoves) % 2 == 0 ? ("inProgress", "InProgress") : ("open", "Open");
            foreach (var page in sampled)
            {
                await page.EvaluateAsync("([to, number]) => { window.__watch = { to, number, seen: 0 }; }", new object[] { column, number });
            }
            var before = Histogram(await metrics.GetStringAsync("/metrics"));
            using var current = await api.GetAsync($"/api/v1/demands/{id}");
            current.EnsureSuccessStatusCode();
            using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/demands/{id}/status") { Content = JsonContent.Create(new { status = to }) };
            put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
            var sentAt = UnixMillisecondsNow();
            using (var moved = await api.SendAsync(put))
            {
                moved.EnsureSuccessStatusCode();
            }

            // Every board reports once; the smallest bucket holding all of this move's renders bounds the last one.
            var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
            var after = before;
            while (after.Count - before.Count < boards && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50);
                after = Histogram(await metrics.GetStringAsync("/metrics"));
            }
            var rendered = after.Count - before.Count;
            if (rendered < boards)
            {
                incomplete++;
                Console.WriteLine($"move {move + 1}: only {rendered} of {boards} boards rendered within 30 s");
            }
            if (move < 0)
            {
                await Task.Delay(500);
                continue;
            }
            lastBoardMs.Add(after.Buckets.Where(b => b.Value - before.Buckets.GetValueOrDefault(b.Key) >= rendered).Select(b => b.Key).DefaultIfEmpty(double.NaN).Min());
            foreach (var page in sampled)
            {
                var seen = await page.EvaluateAsync<double>(
                    "async () => { for (let i = 0; i < 3000 && !window.__watch.seen; i++) await new Promise(r => setTimeout(r, 10)); return window.__watch.seen; }");
                visibleMs.Add(seen > 0 ? seen - sentAt : double.NaN);
            }
            await Task.Delay(500);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{moves} moves, {boards} boards: save → last board's render batch sent ≤ p50 {Percentile(lastBoardMs, 0.5)} ms, p95 {Percentile(lastBoardMs, 0.95)} ms, max {lastBoardMs.Max()} ms (bucket upper bounds); {incomplete} moves missed a board"));
        var shown = visibleMs.Where(v => !double.IsNaN(v)).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"visible on the {sampled.Count} sampled pages ({shown.Count} of {visibleMs.Count} seen): request → card in its new column p50 {Percentile(shown, 0.5):F0} ms, p95 {Percentile(shown, 0.95):F0} ms, max {shown.LastOrDefault():F0} ms"));
    }

    /// <summary>"Cumulative bucket upper bound → count" for the DemandChanged renders, with the total count.</summary>
    private static (long Count, Dictionary<double, long> Buckets) Histogram(string exposition)
    {
        var buckets = new Dictionary<double, long>();
        long count = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (!line.StartsWith("crm_live_events_render_lag", StringComparison.Ordinal) || !line.Contains("kind=\"DemandChanged\"", StringComparison.Ordinal))
            {
                continue;
            }
            var value = (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            if (line.Contains("_bucket{", StringComparison.Ordinal))
            {
                var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
                le = le[..le.IndexOf('"')];
                buckets[le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture)] = value;
            }
            else if (line.Contains("_count{", StringComparison.Ordinal))
            {
                count = value;
            }
        }
        return (count, buckets);
    }

    private static long Gauge(string exposition, string name) => exposition.Split('\n')
        .Where(line => line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is ' ' or '{'))
        .Sum(line => (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>
    /// After 10 s of rest, a full blocking collection induced in the server through its diagnostics port (as dotnet-gcdump
    /// does: an EventPipe session asking for a heap collection), then its working set and the managed heap that survived.
    /// </summary>
    private static async Task<(long WorkingSet, long Heap)> MemoryAsync(Process server, HttpClient metrics, string when)
    {
        await Task.Delay(TimeSpan.FromSeconds(10));
        const long GcKeyword = 0x1, GcHeapCollectKeyword = 0x800000;
        var diagnostics = new DiagnosticsClient(server.Id);
        using (var session = diagnostics.StartEventPipeSession(new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword), requestRundown: false))
        {
            var drain = session.EventStream.CopyToAsync(Stream.Null);
            await Task.Delay(TimeSpan.FromSeconds(3));
            await session.StopAsync(CancellationToken.None);
            await drain;
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        server.Refresh();
        var exposition = await metrics.GetStringAsync("/metrics");
        var heap = Gauge(exposition, "dotnet_gc_last_collection_heap_size_bytes");
        const string Fragmentation = "dotnet_gc_last_collection_heap_fragmentation_size_bytes";
        if (!exposition.Contains(Fragmentation, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The server's /metrics has no {Fragmentation}: live objects cannot be told from the heap's size.");
        }
        var free = Gauge(exposition, Fragmentation);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{when}: circuits {Gauge(exposition, "crm_circuits_open")}, server working set {server.WorkingSet64 / 1048576.0:F0} MB, managed heap after a full GC {heap / 1048576.0:F1} MB, of which live objects {(heap - free) / 1048576.0:F1} MB (free space between them {free / 1048576.0:F1} MB)"));
        return (server.WorkingSet64, heap - free);
    }

    private static double Percentile(List<double> sorted, double p)
    {
        var values = sorted.Order().ToList();
        return values.Count == 0 ? double.NaN : values[Math.Min(values.Count - 1, (int)(values.Count * p))];
    }

    private static double UnixMillisecondsNow() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>Opens CircuitClients a few at a time, all with one signed-in cookie jar (a browser's tabs share theirs too).</summary>
    private sealed class ClientOpener(Uri address, CookieContainer cookies, List<CircuitClient> all)
    {
        public async Task OpenAsync(string path, int count)
        {
            using var gate = new SemaphoreSlim(8);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            {
                await gate.WaitAsync();
                try
                {
                    var client = await CircuitClient.OpenAsync(address, path, cookies, CancellationToken.None);
                    lock (all)
                    {
                        all.Add(client);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
    }

    /// <summary>Opens pages a few at a time, <c>pagesPerContext</c> to a browser context signed in as the demo supervisor.</summary>
    private sealed class PageOpener(IBrowser browser, string address, int pagesPerContext)
    {
        private IBrowserContext? _context;
        private int _inContext;

        public List<IPage> All { get; } = [];

        public async Task<List<IPage>> OpenAsync(string path, string ready, int count)
        {
            var pages = new List<IPage>();
            using var gate = new SemaphoreSlim(4);
            var opening = new List<Task>();
            for (var i = 0; i < count; i++)
            {
                var newContext = _context is null || _inContext == pagesPerContext;
                if (newContext)
                {
                    _context = await browser.NewContextAsync(new() { BaseURL = address, Locale = "zh-CN" });
                    _inContext = 0;
                }
                _inContext++;
                var context = _context!;
                await gate.WaitAsync();
                opening.Add(Task.Run(async () =>
                {
                    try
                    {
                        var page = await context.NewPageAsync();
                        if (newContext)
                        {
                            // The context's first page signs in and lands on the page itself: no circuit is opened and left behind.
                            await page.GotoAsync($"/account/signin?returnUrl={Uri.EscapeDataString(path)}");
                            await page.Locator("button[data-user='demo-supervisor']").ClickAsync();
                            await page.WaitForURLAsync(url => !url.Contains("/account/signin", StringComparison.Ordinal));
                        }
                        else
                        {
                            await page.GotoAsync(path);
                        }
                        await page.Locator(".crm-shell[data-interactive='true']").WaitForAsync(new() { Timeout = 120_000 });
                        await page.Locator(ready).First.WaitForAsync(new() { Timeout = 120_000 });
                        lock (pages)
                        {
                            pages.Add(page);
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
                if (newContext)
                {
                    await Task.WhenAll(opening); // the context's cookie is set before its other pages start
                }
            }
            await Task.WhenAll(opening);
            All.AddRange(pages);
            return pages;
        }
    }
}
