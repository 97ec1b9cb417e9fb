using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Domain.Tiering;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;

namespace CrmBlazor.Tests.Pipeline;

/// <summary>SPEC F3 (products, quotes, orders) through the Domain services, on real databases.</summary>
public sealed class QuoteTests
{
    /// <summary>10:00 on 4 March 2030 in Shanghai.</summary>
    private static readonly DateTimeOffset Start = new(2030, 3, 4, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_line_total_is_rounded_once_to_whole_fen_half_away_from_zero_and_the_total_is_the_sum_of_the_rounded_lines()
    {
        // 3 × ¥33.33 less 10 % = 8,999.1 fen → 8,999; 1.5 × ¥0.99 less 0 % = 148.5 fen → 149 (half away from zero).
        Assert.Equal(8_999, QuotePricing.LineTotalFen(3m, 3_333, 10m));
        Assert.Equal(149, QuotePricing.LineTotalFen(1.5m, 99, 0m));
        Assert.Equal(0, QuotePricing.LineTotalFen(2m, 5_000, 100m));
        // The largest line the editor allows (1,000,000 × ¥10,000,000) stays exact.
        Assert.Equal(1_000_000_000_000_000, QuotePricing.LineTotalFen(1_000_000m, 1_000_000_000, 0m));
        Assert.Equal("QT20300007-v3", QuotePricing.DisplayNumber("QT20300007", 3));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Supervisors_keep_the_catalogue_with_unique_codes_at_the_version_they_saw_and_reps_only_read_it(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 2, time: new FakeTimeProvider(Start));
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var catalogue = harness.Get<ProductService>(supervisor);
        Assert.True(catalogue.MayMaintain);
        Assert.False(harness.Get<ProductService>(rep).MayMaintain);

        var erp = await catalogue.AddAsync(new ProductInput(" ERP-STD ", "ERP 标准版", "套", 12_000_000, true));
        Assert.Equal("ERP-STD", erp.Code);
        var taken = await Assert.ThrowsAsync<ValidationFailedException>(() => catalogue.AddAsync(new ProductInput("ERP-STD", "重复", "套", 1, true)));
        Assert.Equal("Validation.ProductCodeTaken", Assert.Single(taken.Errors).MessageKey);
        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() => catalogue.AddAsync(new ProductInput("", " ", "", -1, true)));
        Assert.Equal(["Code", "ListPriceFen", "Name", "Unit"], invalid.Errors.Select(e => e.Field).Order());
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<ProductService>(rep).AddAsync(new ProductInput("X", "X", "个", 1, true)));

        var edited = await catalogue.UpdateAsync(erp.Id, erp.Version, new ProductInput("ERP-STD", "ERP 标准版（2030）", "套", 12_800_000, false));
        Assert.Equal(erp.Version + 1, edited.Version);
        // A second editor who opened the old version is told, not overwriting.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => catalogue.UpdateAsync(erp.Id, erp.Version, new ProductInput("ERP-STD", "旧", "套", 1, true)));

        var all = await harness.Get<ProductService>(rep).ListAsync();
        Assert.Equal(("ERP 标准版（2030）", 12_800_000L, false), (Assert.Single(all).Name, all[0].ListPriceFen, all[0].IsActive));
        Assert.Empty(await harness.Get<ProductService>(rep).ListAsync(activeOnly: true));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_new_revision_copies_the_latest_lines_and_only_a_draft_changes(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4, time: new FakeTimeProvider(Start));
        var (rep, _, products) = await CatalogueAsync(harness);
        var opportunity = await OpportunityAsync(harness, rep);
        var quotes = harness.Get<QuoteService>(rep);

        var v1 = await quotes.CreateAsync(opportunity.Id);
        Assert.Equal((1, QuoteStatus.Draft, new DateOnly(2030, 4, 3)), (v1.Revision, v1.Status, v1.ValidUntil));
        Assert.Matches(@"^QT2030\d{4}$", v1.Number);
        v1 = await quotes.SaveDraftAsync(v1.Id, v1.Version, new QuoteDraft(new DateOnly(2030, 3, 31),
            [new QuoteLineInput(products.Erp, 2m, null, 5m), new QuoteLineInput(products.Days, 12.5m, 150_000, 0m)]));
        // 2 × ¥120,000 less 5 % = ¥228,000; 12.5 × ¥1,500 = ¥18,750.
        Assert.Equal([22_800_000L, 1_875_000L], v1.Lines.OrderBy(l => l.Position).Select(l => l.LineTotalFen));
        Assert.Equal(24_675_000, v1.TotalFen);
        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => quotes.SaveDraftAsync(v1.Id, v1.Version, new QuoteDraft(new DateOnly(2030, 3, 1),
            [new QuoteLineInput(products.Erp, 0m, null, 0m), new QuoteLineInput(products.Erp, 1m, -1, 101m), new QuoteLineInput(Guid.NewGuid(), 1m, null, 0m)])));
        Assert.Equal(["Lines[0].Quantity", "Lines[1].DiscountPercent", "Lines[1].UnitPriceFen", "Lines[2].ProductId", "ValidUntil"], bad.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => quotes.SaveDraftAsync(v1.Id, v1.Version - 1, new QuoteDraft(new DateOnly(2030, 3, 31), [])));

        var sent = await quotes.SendAsync(v1.Id, v1.Version);
        Assert.Equal(QuoteStatus.Sent, sent.Status);
        var frozen = await Assert.ThrowsAsync<ValidationFailedException>(() => quotes.SaveDraftAsync(sent.Id, sent.Version, new QuoteDraft(new DateOnly(2030, 3, 31), [])));
        Assert.Equal("Validation.QuoteNotDraft", Assert.Single(frozen.Errors).MessageKey);
        await quotes.RejectAsync(sent.Id, sent.Version);

        var v2 = await quotes.CreateAsync(opportunity.Id);
        Assert.Equal((v1.Number, 2, QuoteStatus.Draft, new DateOnly(2030, 3, 31), 24_675_000L), (v2.Number, v2.Revision, v2.Status, v2.ValidUntil, v2.TotalFen));
        Assert.Equal(v1.Lines.OrderBy(l => l.Position).Select(l => (l.ProductCode, l.Quantity, l.UnitPriceFen, l.DiscountPercent, l.LineTotalFen)),
            v2.Lines.OrderBy(l => l.Position).Select(l => (l.ProductCode, l.Quantity, l.UnitPriceFen, l.DiscountPercent, l.LineTotalFen)));

        var view = await harness.Get<QuoteQueries>(rep).GetAsync(v2.Id);
        Assert.Equal($"{v1.Number}-v2", view.DisplayNumber);
        Assert.Equal([(2, QuoteStatus.Draft), (1, QuoteStatus.Rejected)], view.Revisions.Select(r => (r.Revision, r.Status)));
        Assert.True(view.IsLatest);
        // Another rep's customer: the quote is refused as its customer is.
        var colleague = await harness.DemoUserAsync("demo-salesrep2");
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<QuoteQueries>(colleague).GetAsync(v2.Id));
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<QuoteService>(colleague).SendAsync(v2.Id, v2.Version));
    }

    /// <summary>Issue 15's acceptance: "Accepted quote → order → the customer's annual amount and tier change (after evaluation)".</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_accepted_quote_becomes_the_customers_order_and_after_evaluation_the_annual_amount_and_tier_change(DatabaseProvider provider)
    {
        // 23:30 on 4 March in UTC is already 5 March in Shanghai: the order is signed on the company's day.
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 3, 4, 23, 30, 0, TimeSpan.Zero));
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4, time: time);
        var (rep, supervisor, products) = await CatalogueAsync(harness);
        var opportunity = await OpportunityAsync(harness, rep);
        var customerId = opportunity.CustomerId;
        await using (var db = harness.NewSystemContext())
        {
            // A clean start: no orders, no demands, so the rules give C.
            await db.Orders.Where(o => o.CustomerId == customerId).ExecuteDeleteAsync();
            await db.Demands.Where(d => d.CustomerId == customerId).ExecuteDeleteAsync();
        }
        var tiers = harness.Get<TierService>(supervisor);
        await tiers.EvaluateAllAsync();
        Assert.Equal("C", await TierOfAsync(harness, customerId));
        Assert.Equal(0m, OrderService.FiguresOf(await harness.Get<OrderService>(rep).ListAsync(customerId), new DateOnly(2030, 3, 5)).Last12Months);

        var quotes = harness.Get<QuoteService>(rep);
        var v1 = await quotes.CreateAsync(opportunity.Id);
        v1 = await quotes.SaveDraftAsync(v1.Id, v1.Version, new QuoteDraft(new DateOnly(2030, 3, 31),
            [new QuoteLineInput(products.Erp, 2m, null, 5m), new QuoteLineInput(products.Days, 12.5m, 150_000, 0m)]));
        v1 = await quotes.SendAsync(v1.Id, v1.Version);
        var v2 = await quotes.CreateAsync(opportunity.Id);
        v2 = await quotes.SendAsync(v2.Id, v2.Version);

        var order = await quotes.AcceptAsync(v1.Id, v1.Version);

        Assert.Equal(($"{v1.Number}-v1", 24_675_000L, new DateOnly(2030, 3, 5), customerId), (order.Number, order.AmountFen, order.SignedOn, order.CustomerId));
        await using (var db = harness.NewSystemContext())
        {
            var saved = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == order.Id);
            Assert.Equal((opportunity.Id, v1.Id), (saved.OpportunityId, saved.QuoteId));
            Assert.Equal([("ERP-STD", 2m, 12_000_000L, 5m, 22_800_000L), ("SVC-DAY", 12.5m, 150_000L, 0m, 1_875_000L)],
                saved.Lines.OrderBy(l => l.Position).Select(l => (l.ProductCode, l.Quantity, l.UnitPriceFen, l.DiscountPercent, l.LineTotalFen)));
            Assert.Equal("ERP 标准版、实施服务", saved.Product);
            Assert.Equal(QuoteStatus.Accepted, (await db.Quotes.SingleAsync(q => q.Id == v1.Id)).Status);
        }
        // Final: the other revision cannot be accepted, nor a new one made.
        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => quotes.AcceptAsync(v2.Id, v2.Version));
        Assert.Equal("Validation.QuoteAlreadyAccepted", Assert.Single(refused.Errors).MessageKey);
        await Assert.ThrowsAsync<ValidationFailedException>(() => quotes.CreateAsync(opportunity.Id));

        // The order counts in the annual amount at once, and the tier follows at the next evaluation.
        var figures = OrderService.FiguresOf(await harness.Get<OrderService>(rep).ListAsync(customerId), new DateOnly(2030, 3, 5));
        Assert.Equal(246_750m, figures.Last12Months);
        Assert.Equal("C", await TierOfAsync(harness, customerId));
        Assert.True(await tiers.EvaluateAllAsync() >= 1);
        Assert.Equal("A", await TierOfAsync(harness, customerId));
        await using (var db = harness.NewSystemContext())
        {
            var change = await db.TierChanges.Where(c => c.CustomerId == customerId && !c.IsOverride).OrderByDescending(c => c.At).FirstAsync();
            Assert.Equal(("C", "A", 246_750m), (change.FromTier, change.ToTier, change.AnnualAmount));
        }
    }

    /// <summary>Issue 15: "opportunities and quotes on the customer's 360 timeline and in a tab".</summary>
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Quotes_are_on_the_customers_timeline_with_who_and_when_and_in_the_tab_by_opportunity(DatabaseProvider provider)
    {
        var time = new FakeTimeProvider(Start);
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4, time: time);
        var (rep, supervisor, products) = await CatalogueAsync(harness);
        var opportunity = await OpportunityAsync(harness, rep);
        var quotes = harness.Get<QuoteService>(rep);
        var v1 = await quotes.CreateAsync(opportunity.Id);
        v1 = await quotes.SaveDraftAsync(v1.Id, v1.Version, new QuoteDraft(new DateOnly(2030, 3, 31), [new QuoteLineInput(products.Erp, 1m, null, 0m)]));
        time.Advance(TimeSpan.FromHours(1));
        v1 = await quotes.SendAsync(v1.Id, v1.Version);
        time.Advance(TimeSpan.FromHours(1));
        await quotes.RejectAsync(v1.Id, v1.Version);
        time.Advance(TimeSpan.FromHours(1));
        var v2 = await quotes.CreateAsync(opportunity.Id);
        time.Advance(TimeSpan.FromHours(1));
        v2 = await quotes.SendAsync(v2.Id, v2.Version);
        time.Advance(TimeSpan.FromHours(1));
        await harness.Get<QuoteService>(supervisor).AcceptAsync(v2.Id, v2.Version);

        var timeline = (await harness.Get<Domain.Customers.CustomerQueries>(rep).GetProfileAsync(opportunity.CustomerId)).Timeline
            .Where(e => e.Kind.StartsWith("quote-", StringComparison.Ordinal)).ToList();

        var start = Start.UtcDateTime;
        // Newest first; a sent quote that was decided since names no sender (its last editor is the decider).
        Assert.Equal(
            [
                (start.AddHours(5), QuoteTimelineSource.Accepted, $"{v1.Number}-v2", supervisor.DisplayName),
                (start.AddHours(4), QuoteTimelineSource.Sent, $"{v1.Number}-v2", (string?)null),
                (start.AddHours(3), QuoteTimelineSource.Drafted, $"{v1.Number}-v2", rep.DisplayName),
                (start.AddHours(2), QuoteTimelineSource.Rejected, $"{v1.Number}-v1", rep.DisplayName),
                (start.AddHours(1), QuoteTimelineSource.Sent, $"{v1.Number}-v1", null),
                (start, QuoteTimelineSource.Drafted, $"{v1.Number}-v1", rep.DisplayName),
            ],
            timeline.Select(e => (e.At, e.Kind, e.Values[0], e.Actor)));
        Assert.All(timeline, e => Assert.Equal(["12000000", opportunity.Number], e.Values.Skip(1)));

        var tab = await harness.Get<QuoteQueries>(rep).ForCustomerAsync(opportunity.CustomerId);
        Assert.Equal([(2, QuoteStatus.Accepted), (1, QuoteStatus.Rejected)], tab[opportunity.Id].Select(q => (q.Revision, q.Status)));
        Assert.Single(tab);
        var colleague = await harness.DemoUserAsync("demo-salesrep2");
        await Assert.ThrowsAsync<AccessDeniedException>(() => harness.Get<QuoteQueries>(colleague).ForCustomerAsync(opportunity.CustomerId));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Two_revisions_accepted_at_the_same_moment_make_one_order(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4, time: new FakeTimeProvider(Start));
        var (rep, supervisor, products) = await CatalogueAsync(harness);
        var opportunity = await OpportunityAsync(harness, rep);
        var quotes = harness.Get<QuoteService>(rep);
        var v1 = await quotes.CreateAsync(opportunity.Id);
        v1 = await quotes.SaveDraftAsync(v1.Id, v1.Version, new QuoteDraft(new DateOnly(2030, 3, 31), [new QuoteLineInput(products.Erp, 1m, null, 0m)]));
        v1 = await quotes.SendAsync(v1.Id, v1.Version);
        var v2 = await quotes.CreateAsync(opportunity.Id);
        v2 = await quotes.SendAsync(v2.Id, v2.Version);

        var results = await Task.WhenAll(
            Capture(() => harness.Get<QuoteService>(rep).AcceptAsync(v1.Id, v1.Version)),
            Capture(() => harness.Get<QuoteService>(supervisor).AcceptAsync(v2.Id, v2.Version)));

        Assert.Single(results, r => r is null);
        var loser = Assert.IsType<ValidationFailedException>(Assert.Single(results, r => r is not null));
        Assert.Equal("Validation.QuoteAlreadyAccepted", Assert.Single(loser.Errors).MessageKey);
        await using var db = harness.NewSystemContext();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.OpportunityId == opportunity.Id));
        Assert.Equal(1, await db.Quotes.CountAsync(q => q.OpportunityId == opportunity.Id && q.Status == QuoteStatus.Accepted));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    public async Task The_quote_workbook_holds_the_lines_and_total_and_no_cell_becomes_a_formula(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 4, time: new FakeTimeProvider(Start));
        var (rep, supervisor, products) = await CatalogueAsync(harness);
        var formula = await harness.Get<ProductService>(supervisor).AddAsync(new ProductInput("=cmd", "=HYPERLINK(\"http://x\")", "@次", 100, true));
        var opportunity = await OpportunityAsync(harness, rep);
        var quotes = harness.Get<QuoteService>(rep);
        var quote = await quotes.CreateAsync(opportunity.Id);
        await quotes.SaveDraftAsync(quote.Id, quote.Version, new QuoteDraft(new DateOnly(2030, 3, 31),
            [new QuoteLineInput(products.Erp, 2m, null, 5m), new QuoteLineInput(formula.Id, 3m, null, 0m)]));
        var view = await harness.Get<QuoteQueries>(rep).GetAsync(quote.Id);
        var labels = new QuoteWorkbookLabels("报价单", "报价单号", "客户", "商机", "状态", "有效期至", "序号", "编码", "产品", "单位", "数量", "单价", "折扣%", "金额", "合计");

        var path = Path.Combine(Path.GetTempPath(), $"quote-{Guid.NewGuid():N}.xlsx");
        try
        {
            await using (var file = File.Create(path))
            {
                await QuoteWorkbook.WriteAsync(file, view, labels, "草稿");
            }

            Assert.Equal(["报价单"], MiniExcel.GetSheetNames(path));
            var rows = MiniExcel.Query(path, useHeaderRow: false).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(view.DisplayNumber, rows[0]["B"]);
            Assert.Equal("2030-03-31", rows[4]["B"]);
            Assert.Equal(["序号", "编码", "产品", "单位", "数量", "单价", "折扣%", "金额"], new[] { "A", "B", "C", "D", "E", "F", "G", "H" }.Select(c => rows[6][c]));
            Assert.Equal(("ERP-STD", 2m, 120_000m, 5m, 228_000m), ((string?)rows[7]["B"], Number(rows[7]["E"]), Number(rows[7]["F"]), Number(rows[7]["G"]), Number(rows[7]["H"])));
            Assert.Equal(("'=cmd", "'=HYPERLINK(\"http://x\")", "'@次", 3m), ((string?)rows[8]["B"], (string?)rows[8]["C"], (string?)rows[8]["D"], Number(rows[8]["H"])));
            Assert.Equal(("合计", 228_003m), ((string?)rows[9]["G"], Number(rows[9]["H"])));
            // Nothing in the workbook's sheet is stored as a formula.
            using var zip = System.IO.Compression.ZipFile.OpenRead(path);
            using var sheet = new StreamReader(zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).Open());
            Assert.DoesNotMatch(@"<(\w+:)?f[\s>]", await sheet.ReadToEndAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static decimal Number(object? cell) => Convert.ToDecimal(cell, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Exception?> Capture(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (CrmException e)
        {
            return e;
        }
    }

    internal sealed record Catalogue(Guid Erp, Guid Days);

    /// <summary>The demo rep and supervisor, and two products the supervisor adds: ERP at ¥120,000 a set, services at ¥1,500 a day.</summary>
    internal static async Task<(TestUser Rep, TestUser Supervisor, Catalogue Products)> CatalogueAsync(DomainHarness harness)
    {
        var rep = await harness.DemoUserAsync("demo-salesrep");
        var supervisor = await harness.DemoUserAsync("demo-supervisor");
        var catalogue = harness.Get<ProductService>(supervisor);
        var erp = await catalogue.AddAsync(new ProductInput("ERP-STD", "ERP 标准版", "套", 12_000_000, true));
        var days = await catalogue.AddAsync(new ProductInput("SVC-DAY", "实施服务", "人天", 180_000, true));
        return (rep, supervisor, new Catalogue(erp.Id, days.Id));
    }

    internal static async Task<Opportunity> OpportunityAsync(DomainHarness harness, TestUser rep) =>
        await harness.Get<OpportunityService>(rep).CreateAsync(
            new OpportunityInput(await Demands.DemandTests.CustomerOfAsync(harness, rep), "ERP 升级项目", 30_000_000, new DateOnly(2030, 6, 30), null));

    private static async Task<string?> TierOfAsync(DomainHarness harness, Guid customerId)
    {
        await using var db = harness.NewSystemContext();
        return await db.Customers.Where(c => c.Id == customerId).Select(c => c.Tier).SingleAsync();
    }
}
