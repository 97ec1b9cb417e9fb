using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;

namespace CrmBlazor.Tests.Api;

/// <summary>Issue 16, errors: validation problem details name each field (as the JSON spells it) in the language asked for.</summary>
public sealed class ApiProblemDetailsTests
{
    [Theory]
    [InlineData("zh-CN", "请填写客户的工商注册全称。", "部分字段需要修改。")]
    [InlineData("en", "The legal name is required.", "Some fields need attention.")]
    public async Task A_customer_without_a_name_and_with_a_bad_mobile_gets_field_errors_in_the_requested_language(string language, string nameMessage, string title)
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client((await app.IssueKeyAsync("Website form", Role.SalesRep)).Token, language);

        using var response = await client.PostAsJsonAsync("/api/v1/customers", new { name = " ", keyContact = new { name = "刘洋", mobile = "12345" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal("Error.Validation", problem.GetProperty("code").GetString());
        var errors = problem.GetProperty("errors");
        Assert.Equal([nameMessage], errors.GetProperty("name").EnumerateArray().Select(e => e.GetString()));
        Assert.NotEmpty(errors.GetProperty("keyContact.mobile").EnumerateArray().Single().GetString()!);
        await using var db = app.NewSystemContext();
        Assert.DoesNotContain(db.Contacts, c => c.Name == "刘洋");
    }

    [Fact]
    public async Task An_unknown_sort_is_a_validation_problem_and_an_unknown_id_a_404_problem_in_the_requested_language()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client((await app.IssueKeyAsync("BI", Role.Analyst)).Token, "zh-CN");

        using var badSort = await client.GetAsync("/api/v1/customers?sort=shoeSize");
        using var missing = await client.GetAsync($"/api/v1/customers/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
        Assert.Contains("sort", (await badSort.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("未找到该记录。", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }
}
