using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Customers;
using CrmBlazor.Domain.CustomFields;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Features.Customers;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CrmBlazor.Tests.Importing.ImportWorkbooks;

namespace CrmBlazor.Tests.Customers;

/// <summary>Issue #12 §3: a website is an absolute http(s) address wherever it comes in, and only such a value becomes a link.</summary>
public sealed class WebsiteTests
{
    public const string ScriptUrl = "javascript://x/%0Aalert(1)";

    public static TheoryData<string> Refused => new()
    {
        ScriptUrl,
        "javascript:alert(1)",
        "JavaScript://x/%0Aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://files.example.cn",
        " http://x.cn",
        "\u0001http://x.cn",
        "\thttps://x.cn",
        "https://x.cn/\nalert",
        "https://",
        "http:///path-only",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Only_absolute_http_and_https_addresses_are_websites(string typed) => Assert.False(CustomerService.IsWebsite(typed));

    [Theory]
    [InlineData("www.example.com.cn", "https://www.example.com.cn")]
    [InlineData("example.cn/about?a=://", "https://example.cn/about?a=://")]
    [InlineData("http://example.cn", "http://example.cn")]
    [InlineData("HTTPS://Example.cn/Path", "HTTPS://Example.cn/Path")]
    [InlineData("https://杭州云帆.中国", "https://杭州云帆.中国")]
    public void Http_and_https_addresses_are_kept_and_a_bare_host_gets_https(string typed, string stored)
    {
        Assert.True(CustomerService.IsWebsite(typed));
        Assert.Equal(stored, CustomerService.WithScheme(typed));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_direct_service_call_with_a_non_http_website_is_refused_with_the_resource_key(string website)
    {
        await using var harness = await DomainHarness.CreateAsync(DatabaseProvider.Sqlite, customers: 0);
        var rep = await harness.DemoUserAsync("demo-salesrep");

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            harness.Get<CustomerService>(rep).CreateAsync(CustomerInputs.New("脚本网址测试有限公司") with { Website = website }, new ContactInput("周杰", Mobile: "13800138000")));

        var error = Assert.Single(refused.Errors);
        Assert.Equal((nameof(Customer.Website), "Validation.WebsiteInvalid"), (error.Field, error.MessageKey));
        await using var db = harness.NewSystemContext();
        Assert.False(await db.Customers.AnyAsync());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_customer_form_cannot_store_a_script_website(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 1);
        var admin = await harness.DemoUserAsync("demo-admin");
        Customer stored;
        await using (var db = harness.NewSystemContext())
        {
            stored = await db.Customers.Include(c => c.CustomValues).SingleAsync();
        }
        var fields = await harness.Get<CustomFieldService>(admin).ListAsync();
        var service = harness.Get<CustomerService>(admin);

        foreach (var website in new[] { ScriptUrl, "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", " http://x.cn" })
        {
            // What the form dialog sends: the stored customer with the website field as typed.
            var form = CustomerFormModel.From(stored, fields);
            form.Website = website;

            var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => service.UpdateAsync(stored.Id, stored.Version, form.ToInput()));

            Assert.Contains(refused.Errors, e => e.Field == nameof(Customer.Website) && e.MessageKey == "Validation.WebsiteInvalid");
        }
        await using var check = harness.NewSystemContext();
        Assert.Equal(stored.Website, (await check.Customers.SingleAsync()).Website);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task An_imported_row_with_a_script_website_is_refused_and_not_written(DatabaseProvider provider)
    {
        await using var harness = await DomainHarness.CreateAsync(provider, customers: 0);
        var admin = await harness.DemoUserAsync("demo-admin");
        string[] websites = [ScriptUrl, "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "www.ok-import.cn", "http://ok-import2.cn"];
        var rows = websites.Select((website, i) =>
        {
            var row = Row($"网址导入测试{i}有限公司", $"联系人{i}", $"1380000100{i}");
            row["网站"] = website;
            return row;
        }).ToList();
        var import = harness.Get<CustomerImport>(admin);

        var preview = await import.PrepareAsync("websites.xlsx", Xlsx(rows), ImportMode.CreateOnly);

        Assert.Equal(
            websites[..4].Select((website, i) => (i + 2, $"网站“{website}”不是网址")),
            preview.FailingRows.Select(r => (r.RowNumber, r.Reasons(chinese: true))));
        Assert.All(preview.FailingRows, r => Assert.All(r.Problems, p => Assert.Equal(("网站", ImportProblemKind.InvalidFormat), (p.Column, p.Kind))));

        var done = await import.RunAsync(preview.Job.Id);

        Assert.Equal((2, 4), (done.Imported, done.Skipped));
        await using var db = harness.NewSystemContext();
        Assert.Equal(["http://ok-import2.cn", "https://www.ok-import.cn"], (await db.Customers.Select(c => c.Website!).ToListAsync()).Order(StringComparer.Ordinal));
    }
}

/// <summary>The 360 page as the server renders it: a legacy script website stays text, an https one is a safe link.</summary>
public sealed class WebsiteLinkTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_stored_script_website_renders_as_text_and_an_https_one_as_a_noopener_link()
    {
        await using var app = new CrmAppFactory(_database.Settings, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var admin = await app.SignedInClientAsync("demo-admin");
        Guid legacy, safe;
        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            var ids = await db.Customers.OrderBy(c => c.Number).Select(c => c.Id).Take(2).ToListAsync();
            (legacy, safe) = (ids[0], ids[1]);
            // Legacy data, written past the service as an old version or another tool would have.
            await db.Customers.Where(c => c.Id == legacy).ExecuteUpdateAsync(s => s.SetProperty(c => c.Website, "javascript:alert(1)"));
            await db.Customers.Where(c => c.Id == safe).ExecuteUpdateAsync(s => s.SetProperty(c => c.Website, "https://www.safe-site.cn"));
        }

        var legacyPage = await admin.GetStringAsync($"/customers/{legacy}");
        var safePage = await admin.GetStringAsync($"/customers/{safe}");

        Assert.Contains("javascript:alert(1)", legacyPage, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", legacyPage, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("crm-detail-link", legacyPage, StringComparison.Ordinal);
        var link = System.Text.RegularExpressions.Regex.Match(safePage, "<a [^>]*crm-detail-link[^>]*>");
        Assert.True(link.Success, "the https website is a link");
        Assert.Contains("href=\"https://www.safe-site.cn\"", link.Value, StringComparison.Ordinal);
        Assert.Contains("target=\"_blank\"", link.Value, StringComparison.Ordinal);
        Assert.Contains("rel=\"noopener noreferrer\"", link.Value, StringComparison.Ordinal);
    }
}
