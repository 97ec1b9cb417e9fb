using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Api;

/// <summary>Issue 16, limits: a rate limit per caller (429 with Retry-After, others unaffected), a request body cap (413, nothing saved), the page-size cap.</summary>
public sealed class ApiLimitsTests
{
    [Fact]
    public async Task A_caller_past_its_permits_gets_429_with_Retry_After_while_other_callers_go_on()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>
        {
            ["RateLimits:Api:PermitLimit"] = "2",
            ["RateLimits:Api:WindowSeconds"] = "3600",
        });
        using var busy = app.Client((await app.IssueKeyAsync("Website form", Role.Analyst)).Token, language: "en");
        using var other = app.Client((await app.IssueKeyAsync("ERP", Role.Analyst)).Token);
        using var application = app.Client(app.Tokens.Application("5f1c2a9e-0000-4000-8000-0000000000b1", "BI", EntraApplications.ReadRole));

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await busy.GetAsync("/api/v1/customers");
            allowed.Add(response.StatusCode);
        }
        using var refused = await busy.GetAsync("/api/v1/customers");
        using var otherKey = await other.GetAsync("/api/v1/customers");
        using var otherApplication = await application.GetAsync("/api/v1/customers");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], allowed);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var delay = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(delay);
        Assert.InRange(delay.Value.TotalSeconds, 1, 3600);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Api.TooManyRequests", problem.GetProperty("code").GetString());
        Assert.Contains(((int)delay.Value.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherApplication.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_cap_is_413_and_nothing_is_saved(bool statesItsLength)
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Api:MaxRequestBodyBytes"] = "2048" });
        using var client = app.Client((await app.IssueKeyAsync("Website form", Role.SalesRep)).Token, language: "zh-CN");
        var body = JsonSerializer.Serialize(new
        {
            name = "无锡澄光照明电器有限公司",
            notes = new string('光', 1000), // 3,000 bytes of UTF-8
            keyContact = new { name = "陈静", mobile = "13800138000" },
        });
        using var content = statesItsLength
            ? new StringContent(body, Encoding.UTF8, "application/json")
            : (HttpContent)new StreamContent(new UnsizedStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync("/api/v1/customers", content);
        using var small = await client.PostAsJsonAsync("/api/v1/customers", new { name = "常州新锐包装材料有限公司", keyContact = new { name = "赵敏", mobile = "13700137000" } });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Api.PayloadTooLarge", problem.GetProperty("code").GetString());
        Assert.Contains("2048", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        await using var db = app.NewSystemContext();
        Assert.False(await db.Customers.AnyAsync(c => c.Name == "无锡澄光照明电器有限公司"));
    }

    [Fact]
    public async Task A_page_size_above_the_cap_is_cut_to_200_and_says_so()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client((await app.IssueKeyAsync("BI", Role.Analyst)).Token);

        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/customers?pageSize=100000");

        Assert.Equal(200, page.GetProperty("pageSize").GetInt32());
        Assert.True(page.GetProperty("items").GetArrayLength() <= 200);
    }

    /// <summary>A body whose length is not known in advance: sent in chunks, without Content-Length.</summary>
    private sealed class UnsizedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
