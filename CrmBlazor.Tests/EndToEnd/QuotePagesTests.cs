using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Pipeline;
using CrmBlazor.Tests.Infrastructure;
using CrmBlazor.Tests.Pipeline;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace CrmBlazor.Tests.EndToEnd;

/// <summary>SPEC F3 in Chromium: a rep sends a quote, exports it for the customer, the customer accepts it (an order); on paper and in English.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "E2E")]
public sealed class QuotePagesTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_rep_sends_a_quote_exports_the_workbook_and_records_the_acceptance_which_writes_the_order()
    {
        Guid quoteId;
        string number;
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            quoteId = await QuoteSamples.SeedAsync(db, "demo-salesrep", QuoteStatus.Draft);
            number = (await db.Quotes.SingleAsync(q => q.Id == quoteId)).DisplayNumber;
        }
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep");
        await page.GotoAsync($"/quotes/{quoteId}");
        await BrowserFixture.WaitUntilInteractiveAsync(page);

        await Assertions.Expect(page.Locator(".crm-quote-title")).ToContainTextAsync($"报价单 {number}");
        // The opportunity it quotes for is a link to that opportunity's page.
        await Assertions.Expect(page.Locator("a.crm-quote-opportunity")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/pipeline/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator(".crm-quote-editor .crm-quote-line")).ToHaveCountAsync(3);
        // 2 套 × ¥120,000 less 5 % + 12.5 人天 × ¥1,500 + 1 年 × ¥36,000 less 10 %.
        await Assertions.Expect(page.Locator(".crm-quote-editor .crm-quote-total")).ToContainTextAsync("¥279,150.00");
        await BrowserFixture.ScreenshotAsync(page, "quote-draft-zh");
        await page.Locator(".crm-quote-send").ClickAsync();
        await Assertions.Expect(page.Locator(".crm-quote-status")).ToHaveTextAsync("已发送");
        await Assertions.Expect(page.Locator(".crm-quote-lines .crm-quote-line")).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(page, "quote-page-zh");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator(".crm-quote-export").ClickAsync());
        Assert.Equal($"{number}.xlsx", download.SuggestedFilename);
        var rows = MiniExcel.Query(await download.PathAsync(), useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(("报价单号", number), ((string?)rows[0]["A"], (string?)rows[0]["B"]));
        Assert.Equal("已发送", rows[3]["B"]);
        Assert.Equal("合计", rows[^1]["G"]);
        Assert.Equal(279_150m, Convert.ToDecimal(rows[^1]["H"], System.Globalization.CultureInfo.InvariantCulture));

        await page.Locator(".crm-quote-accept").ClickAsync();
        await page.Locator(".mud-dialog .mud-button-root", new() { HasText = "客户已接受" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"已生成订单 {number}");
        await Assertions.Expect(page.Locator(".crm-quote-status")).ToHaveTextAsync("已接受");
        await Assertions.Expect(page.Locator(".crm-quote-order")).ToContainTextAsync(number);
        await BrowserFixture.ScreenshotAsync(page, "quote-page-accepted-zh");
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            var order = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.QuoteId == quoteId);
            Assert.Equal((number, 27_915_000L, 3), (order.Number, order.AmountFen, order.Lines.Count));
        }

        await using var englishContext = await browser.NewContextAsync("en");
        var english = await englishContext.NewPageAsync();
        await BrowserFixture.SignInAsync(english, "demo-salesrep");
        await english.GotoAsync($"/quotes/{quoteId}");
        await BrowserFixture.WaitUntilInteractiveAsync(english);
        await Assertions.Expect(english.Locator(".crm-quote-status")).ToHaveTextAsync("Accepted");
        await Assertions.Expect(english.Locator(".crm-quote-lines .crm-quote-total")).ToContainTextAsync("CN¥279,150.00");
        await BrowserFixture.ScreenshotAsync(english, "quote-page-en");
        // On paper: the quote only, without the app bar, the menu or the buttons.
        await english.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(english.Locator(".mud-appbar")).ToBeHiddenAsync();
        await Assertions.Expect(english.Locator(".crm-quote-print-button")).ToBeHiddenAsync();
        await Assertions.Expect(english.Locator(".crm-quote-lines")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(english, "quote-page-print-en");
    }

    [Fact]
    public async Task A_rep_opens_the_first_quote_from_the_opportunitys_card_and_its_first_line_takes_the_list_price()
    {
        string number;
        await using (var db = DomainServices.CreateSystemContext(browser.Database, TimeProvider.System))
        {
            number = await QuoteSamples.SeedOpportunityAsync(db, "demo-salesrep2", "仓储管理系统报价");
        }
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-salesrep2");
        await page.GotoAsync("/pipeline");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator($".crm-opportunity-card[data-number='{number}'] .crm-opportunity-menu button").ClickAsync();
        await page.Locator(".mud-popover-open .crm-opportunity-quotes-action").ClickAsync();
        var dialog = page.Locator(".crm-quotes-dialog");
        await Assertions.Expect(dialog.Locator(".crm-quotes-none")).ToContainTextAsync("还没有报价");
        await dialog.Locator(".crm-quotes-new").ClickAsync();

        await page.WaitForURLAsync("**/quotes/*");
        await Assertions.Expect(page.Locator(".crm-quote-status")).ToHaveTextAsync("草稿");
        await Assertions.Expect(page.Locator(".crm-quote-title")).ToContainTextAsync("-v1");
        await page.Locator(".crm-quote-add-line").ClickAsync();
        await BrowserFixture.ChooseAsync(page, page.Locator(".crm-quote-line-product").First, "SAMPLE-ERP · ERP 标准版 (套)");
        await Assertions.Expect(page.Locator(".crm-quote-line-total").First).ToHaveTextAsync("¥120,000.00");
        await page.Locator(".crm-quote-save").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已保存");
        await Assertions.Expect(page.Locator(".crm-quote-header-total")).ToHaveTextAsync("¥120,000.00");
    }

    [Fact]
    public async Task A_supervisor_adds_a_product_to_the_catalogue_and_a_rep_only_reads_it()
    {
        await using var context = await browser.NewContextAsync("zh-CN");
        var page = await context.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "demo-supervisor");
        await page.GotoAsync("/products");
        await BrowserFixture.WaitUntilInteractiveAsync(page);
        await page.Locator(".crm-new-product").ClickAsync();
        var dialog = page.Locator(".crm-product-dialog");
        await BrowserFixture.ClickUntilAsync(dialog.Locator(".crm-product-save"), dialog, "请填写编码");
        await dialog.Locator(".crm-product-code input").FillAsync("E2E-CRM-PRO");
        await dialog.Locator(".crm-product-name input").FillAsync("CRM 专业版（E2E）");
        await dialog.Locator(".crm-product-unit input").FillAsync("用户/年");
        await dialog.Locator(".crm-product-price input").FillAsync("1200");
        await dialog.Locator(".crm-product-save").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        var row = page.Locator(".crm-products-table tr", new() { HasText = "E2E-CRM-PRO" });
        await Assertions.Expect(row).ToContainTextAsync("¥1,200.00");
        await BrowserFixture.ScreenshotAsync(page, "products-zh");

        await using var repContext = await browser.NewContextAsync("en");
        var rep = await repContext.NewPageAsync();
        await BrowserFixture.SignInAsync(rep, "demo-salesrep");
        await rep.GotoAsync("/products");
        await BrowserFixture.WaitUntilInteractiveAsync(rep);
        await Assertions.Expect(rep.Locator(".crm-products-table tr", new() { HasText = "E2E-CRM-PRO" })).ToContainTextAsync("CN¥1,200.00");
        await Assertions.Expect(rep.Locator(".crm-new-product")).ToHaveCountAsync(0);
        await Assertions.Expect(rep.Locator(".crm-product-edit")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(rep, "products-en");
    }
}
