using System.Reflection;
using CrmBlazor.Domain.Access;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Module = CrmBlazor.Domain.Access.Module;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>
/// Issue 12 §3 "HTTP hardening": the app runs under its Content-Security-Policy. Each role signs in and opens
/// every page it may open — read from the app's own routes, plus every link its navigation offers, so a new page
/// is walked too — and a customer's 360 page, a demand page and a dialog or popover (MudBlazor's inline styles).
/// The browser must report nothing: no console error, no CSP violation, no script error, no failed same-origin request.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class SecurityPolicyWalkTests(BrowserFixture browser)
{
    private static readonly (Role Role, string DemoUser)[] Roles =
    [
        (Role.Admin, "demo-admin"), (Role.Supervisor, "demo-supervisor"), (Role.SalesRep, "demo-salesrep"),
        (Role.CustomerService, "demo-service"), (Role.Analyst, "demo-analyst"),
    ];

    /// <summary>The screenshots kept of the walk: enough to see that what was walked rendered.</summary>
    private static readonly HashSet<(Role, string)> Shots =
    [
        (Role.Admin, "/admin/permissions"), (Role.Supervisor, "/demands"), (Role.SalesRep, CustomerPage), (Role.Analyst, "/reports"),
    ];

    private const string CustomerPage = "customer 360";
    private const string DemandPage = "demand page";
    private const string TicketPage = "ticket page";
    private const string OpportunityPage = "opportunity page";
    private const string QuotePage = "quote page";
    private const string BoardDrillDown = "pipeline board from the funnel";

    /// <summary>Runs before any script of every document: keeps the document's CSP violations for the walk to collect.</summary>
    private const string RecordViolations = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e =>
            window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} (${e.sample})`));
        """;

    private const string InlineScriptWithoutNonce = """
        () => {
            const script = document.createElement('script');
            script.textContent = 'window.__cspCanary = true';
            document.head.appendChild(script);
            return window.__cspCanary === true;
        }
        """;

    [Fact]
    public async Task Every_role_walks_its_pages_under_the_content_security_policy_without_a_console_error()
    {
        var samples = await SamplePagesAsync();
        // The roles walk side by side, a context each: most of a page's time is waiting for its circuit.
        var walks = await Task.WhenAll(Roles.Select(r => WalkAsync(r.Role, r.DemoUser, samples)));

        var problems = walks.SelectMany(w => w).ToList();
        Assert.True(problems.Count == 0, "The browser reported:\n" + string.Join("\n", problems));
    }

    private async Task<List<string>> WalkAsync(Role role, string demoUser, SampleUrls samples)
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        await context.AddInitScriptAsync(RecordViolations);
        var page = await context.NewPageAsync();
        var journal = new Journal(role, browser.App.BaseAddress);
        journal.Watch(page);

        journal.At("sign-in");
        await BrowserFixture.SignInAsync(page, demoUser);
        await AssertTheWalkHearsAViolationAsync(page, journal);
        var navLinks = await page.Locator(".mud-navmenu a[href]").EvaluateAllAsync<string[]>("links => links.map(a => new URL(a.href).pathname)");
        // A navigation link that leads to a refusal is walked too, and fails as one.
        var pages = MainPages().Where(p => p.MayOpen(role)).Select(p => p.Path).Union(navLinks).Order(StringComparer.Ordinal).ToList();

        foreach (var path in pages)
        {
            if (path == "/")
            {
                journal.At(path); // where signing in landed: loaded, live and checked already
                await WaitUntilRenderedAsync(page, journal, path);
            }
            else
            {
                await OpenAsync(page, journal, path, path);
            }
            if (path == "/demands")
            {
                await OpenDemandBoardPopupAsync(page, journal);
            }
        }
        if (PermissionMatrix.Defaults.IsAllowed(role, Module.Customers, Operation.View))
        {
            await OpenAsync(page, journal, CustomerPage, samples.Customer);
            await OpenCustomerDialogAsync(page, journal);
        }
        if (PermissionMatrix.Defaults.IsAllowed(role, Module.Demands, Operation.View))
        {
            await OpenAsync(page, journal, DemandPage, samples.Demand);
        }
        if (PermissionMatrix.Defaults.IsAllowed(role, Module.Tickets, Operation.View))
        {
            await OpenAsync(page, journal, TicketPage, samples.Ticket);
        }
        if (PermissionMatrix.Defaults.IsAllowed(role, Module.Pipeline, Operation.View))
        {
            await OpenAsync(page, journal, OpportunityPage, samples.Opportunity);
            await OpenAsync(page, journal, QuotePage, samples.Quote);
            await OpenAsync(page, journal, BoardDrillDown, samples.BoardDrillDown);
        }
        await journal.CollectViolationsAsync(page);
        Assert.True(journal.Documents >= pages.Count, $"{role}: {journal.Documents} pages answered with the policy, {pages.Count} walked");
        return journal.Problems;
    }

    /// <summary>
    /// The walk's own check: an inline script without the nonce is refused, and the refusal reaches the journal both as
    /// a console error and as a <c>securitypolicyviolation</c> event — a quiet walk is then a clean one, not a deaf one.
    /// </summary>
    private static async Task AssertTheWalkHearsAViolationAsync(IPage page, Journal journal)
    {
        journal.At(Journal.Canary);
        Assert.False(await page.EvaluateAsync<bool>(InlineScriptWithoutNonce), $"{journal.Role}: an inline script without the nonce ran");
        await page.WaitForFunctionAsync("() => window.__cspViolations.length > 0", null, new() { Timeout = 5000 });
        await journal.CollectViolationsAsync(page);

        var heard = await journal.TakeCanaryAsync();
        Assert.Contains(heard, p => p.Contains("securitypolicyviolation: script-src", StringComparison.Ordinal));
        Assert.Contains(heard, p => p.Contains("console error: ", StringComparison.Ordinal) && p.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    /// <summary>
    /// Opens a page by its URL — a full load, so its markup is parsed under the policy and its document response (headers
    /// checked by the journal) is the browser's — and waits until it is live and rendered.
    /// </summary>
    private static async Task OpenAsync(IPage page, Journal journal, string name, string url)
    {
        await journal.CollectViolationsAsync(page); // the page being left: its late events are its own
        journal.At(name);
        await page.GotoAsync(url);
        if (!page.Url.EndsWith(url, StringComparison.Ordinal))
        {
            journal.Add($"landed on {page.Url} instead");
            return;
        }
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await WaitUntilRenderedAsync(page, journal, name);
    }

    /// <summary>Rendered: the page's own loading bars and skeletons are gone.</summary>
    private static async Task WaitUntilRenderedAsync(IPage page, Journal journal, string name)
    {
        await page.WaitForFunctionAsync(
            "() => !document.querySelector('.mud-main-content .mud-progress-linear-indeterminate, .mud-main-content .mud-skeleton')",
            null, new() { Timeout = 15_000 });
        if (Shots.Contains((journal.Role, name)))
        {
            await BrowserFixture.ScreenshotAsync(page, $"csp-{journal.Role}-{name.Trim('/').Replace('/', '-').Replace(' ', '-')}".ToLowerInvariant());
        }
    }

    /// <summary>The board's new-demand dialog for those who may raise one, else a filter's popover.</summary>
    private static async Task OpenDemandBoardPopupAsync(IPage page, Journal journal)
    {
        journal.At("/demands, a dialog or popover");
        var newDemand = page.Locator(".crm-new-demand");
        if (await newDemand.CountAsync() > 0)
        {
            await newDemand.ClickAsync();
            await page.Locator(".mud-dialog").WaitForAsync();
        }
        else
        {
            await page.Locator(".crm-board-priority .mud-select-input, .crm-board-priority .mud-input-slot").First.ClickAsync();
            await page.Locator(".mud-popover-open").First.WaitForAsync();
        }
        await page.WaitForTimeoutAsync(200); // the open animation: its styles are applied, or refused, by now
    }

    /// <summary>The 360 page's log-interaction dialog, where the role may log one.</summary>
    private static async Task OpenCustomerDialogAsync(IPage page, Journal journal)
    {
        var log = page.Locator(".crm-log-interaction");
        if (await log.CountAsync() == 0)
        {
            return;
        }
        journal.At($"{CustomerPage}, log-interaction dialog");
        await log.ClickAsync();
        await page.Locator(".mud-dialog").WaitForAsync();
        await page.WaitForTimeoutAsync(200);
        if (Shots.Contains((journal.Role, CustomerPage)))
        {
            await BrowserFixture.ScreenshotAsync(page, $"csp-{journal.Role}-customer-360-dialog".ToLowerInvariant());
        }
    }

    private sealed record MainPage(string Path, RequirePermissionAttribute? Needs)
    {
        public bool MayOpen(Role role) => Needs is null || Needs.Admits(PermissionMatrix.Defaults, role);
    }

    /// <summary>Every routable page of the app for signed-in users (the anonymous ones are not), without route parameters.</summary>
    private static List<MainPage> MainPages()
    {
        var pages = (from type in typeof(SecurityHosting).Assembly.GetTypes()
                     where typeof(IComponent).IsAssignableFrom(type) && type.GetCustomAttribute<AllowAnonymousAttribute>() is null
                     from route in type.GetCustomAttributes<RouteAttribute>()
                     select (Type: type, route.Template)).ToList();
        // A page that needs an id is walked through a sample URL: a new one needs its sample in SamplePagesAsync.
        var withParameters = pages.Where(p => p.Template.Contains('{', StringComparison.Ordinal)).Select(p => p.Template).Order(StringComparer.Ordinal);
        Assert.Equal(["/customers/{Id:guid}", "/demands/{Id:guid}", "/pipeline/{Id:guid}", "/quotes/{Id:guid}", "/tickets/{Id:guid}"], withParameters);
        return pages.Where(p => !p.Template.Contains('{', StringComparison.Ordinal))
            .Select(p => new MainPage(p.Template, p.Type.GetCustomAttribute<RequirePermissionAttribute>()))
            .ToList();
    }

    private sealed record SampleUrls(string Customer, string Demand, string Ticket, string Opportunity, string Quote, string BoardDrillDown);

    /// <summary>A demand and a ticket on customers of demo-salesrep: in the scope of every role that may view them.</summary>
    private async Task<SampleUrls> SamplePagesAsync()
    {
        await using var db = CrmBlazor.Domain.Data.DomainServices.CreateSystemContext(browser.Database, TimeProvider.System);
        var demand = await (from d in db.Demands join c in db.Customers on d.CustomerId equals c.Id
                            where c.Owner!.ExternalId == "demo-salesrep" orderby d.Number select new { d.Id, d.CustomerId }).FirstAsync();
        var ticket = await (from t in db.Tickets join c in db.Customers on t.CustomerId equals c.Id
                            where c.Owner!.ExternalId == "demo-salesrep" orderby t.Number select (Guid?)t.Id).FirstOrDefaultAsync();
        Assert.True(ticket is not null, "The demo service desk has no ticket on a customer of demo-salesrep to walk.");
        var quote = await Pipeline.QuoteSamples.SeedAsync(db, "demo-salesrep");
        var rep = await db.Users.Where(u => u.ExternalId == "demo-salesrep").Select(u => u.Id).SingleAsync();
        return new SampleUrls($"/customers/{demand.CustomerId}", $"/demands/{demand.Id}", $"/tickets/{ticket}", $"/pipeline/{await SampleOpportunityAsync(db, demand.CustomerId)}", $"/quotes/{quote}", $"/pipeline?stage=Proposal&owner={rep}");
    }

    /// <summary>The demo data has no opportunities: one on the sample customer, numbered in the browser tests' own series (OP2099…).</summary>
    private static async Task<Guid> SampleOpportunityAsync(CrmBlazor.Domain.Data.CrmDbContext db, Guid customerId)
    {
        var ownerId = await db.Customers.Where(c => c.Id == customerId).Select(c => c.OwnerId!.Value).SingleAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        var opportunity = new CrmBlazor.Domain.Pipeline.Opportunity
        {
            Number = $"OP2099{await CrmBlazor.Domain.Data.NumberSequences.NextAsync(db, "opportunity:2099", CancellationToken.None):0000}",
            CustomerId = customerId, Name = "安全策略巡检商机", AmountFen = 1_000_000, ExpectedCloseOn = DateOnly.FromDateTime(now.AddDays(30)),
            OwnerId = ownerId, Stage = CrmBlazor.Domain.Pipeline.OpportunityStage.Proposal, StageEnteredAt = now,
        };
        db.Opportunities.Add(opportunity);
        db.OpportunityStageChanges.Add(new CrmBlazor.Domain.Pipeline.OpportunityStageChange { OpportunityId = opportunity.Id, ToStage = opportunity.Stage, At = now });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return opportunity.Id;
    }

    /// <summary>What the browser reported for one role, each problem named with the role and the page it happened on.</summary>
    private sealed class Journal(Role role, Uri origin)
    {
        public const string Canary = "the canary (an inline script without the nonce)";

        private readonly object _gate = new();
        private readonly List<string> _problems = [];
        private string _where = "start";
        private int _documents;

        /// <summary>Pages loaded (documents answered) with the policy.</summary>
        public int Documents => Volatile.Read(ref _documents);

        public Role Role => role;

        public List<string> Problems
        {
            get
            {
                lock (_gate)
                {
                    return [.. _problems];
                }
            }
        }

        public void At(string where)
        {
            lock (_gate)
            {
                _where = where;
            }
        }

        public void Add(string problem)
        {
            lock (_gate)
            {
                _problems.Add($"{role} on {_where}: {problem}");
            }
        }

        public void Watch(IPage page)
        {
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    Add($"console error: {message.Text} ({message.Location})");
                }
            };
            page.PageError += (_, error) => Add($"page error: {error}");
            page.RequestFailed += (_, request) =>
            {
                if (SameOrigin(request.Url))
                {
                    Add($"request failed: {request.Method} {request.Url} ({request.Failure})");
                }
            };
            page.Response += (_, response) =>
            {
                if (!SameOrigin(response.Url))
                {
                    return;
                }
                if (response.Status >= 400)
                {
                    Add($"request failed: {response.Request.Method} {response.Url} answered {response.Status}");
                }
                // Every page the browser loads, the sign-in page and redirects' targets included.
                if (response.Request.ResourceType == "document" && response.Status < 300
                    && (!response.Headers.TryGetValue("content-security-policy", out var csp) || !csp.Contains("script-src 'self' 'nonce-", StringComparison.Ordinal)))
                {
                    Add($"the response for {response.Url} carried no Content-Security-Policy with a script nonce (got: {csp ?? "none"})");
                }
                else if (response.Request.ResourceType == "document")
                {
                    Interlocked.Increment(ref _documents);
                }
            };
        }

        /// <summary>The violations the init script recorded on the current document since they were last collected.</summary>
        public async Task CollectViolationsAsync(IPage page)
        {
            foreach (var violation in await page.EvaluateAsync<string[]>("() => window.__cspViolations?.splice(0) ?? []"))
            {
                Add($"securitypolicyviolation: {violation}");
            }
        }

        /// <summary>Takes the problems heard at <see cref="Canary"/> once its console error has come too (events arrive on their own).</summary>
        public async Task<List<string>> TakeCanaryAsync()
        {
            var prefix = $"{role} on {Canary}: ";
            for (var waited = 0; ; waited += 50)
            {
                lock (_gate)
                {
                    var heard = _problems.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                    if (waited >= 5000 || heard.Any(p => p.Contains("console error: ", StringComparison.Ordinal)))
                    {
                        _problems.RemoveAll(p => p.StartsWith(prefix, StringComparison.Ordinal));
                        return heard;
                    }
                }
                await Task.Delay(50);
            }
        }

        private bool SameOrigin(string url) =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host == origin.Host && uri.Port == origin.Port;
    }
}
