using System.Text.RegularExpressions;
using CrmBlazor.Domain.Data;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CrmBlazor.Tests.Api;

/// <summary>
/// Issue 16: the OpenAPI document parses, describes every <c>/api/v1</c> route the app maps, the security schemes (the key two
/// ways, Entra tokens with the app role each operation needs) and the error responses, the limits' 429 (with Retry-After) and 413 included.
/// </summary>
public sealed partial class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_parses_and_describes_every_api_route_the_app_maps()
    {
        await using var app = await ApiTestApp.CreateAsync(DatabaseProvider.Sqlite);
        using var client = app.Client(null);
        var json = await client.GetStringAsync("/openapi/v1.json");

        var (document, diagnostic) = OpenApiDocument.Parse(json, OpenApiConstants.Json);

        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors);
        Assert.Equal(["ApiKey", "Bearer", "Entra"], document.Components!.SecuritySchemes!.Keys.Order());
        var mapped = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/v1/", StringComparison.Ordinal) || e.RoutePattern.RawText.TrimStart('/') == "api/v1")
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Path: "/" + Constraint().Replace(e.RoutePattern.RawText!.TrimStart('/'), "{$1}"))))
            .ToList();
        Assert.True(mapped.Count >= 6, $"only {mapped.Count} API routes found");
        var undocumented = mapped.Where(r => !(document.Paths.TryGetValue(r.Path, out var item)
            && item.Operations is { } operations && operations.ContainsKey(new HttpMethod(r.Method)))).ToList();
        Assert.True(undocumented.Count == 0, "undocumented: " + string.Join(", ", undocumented));
        foreach (var (method, path) in mapped)
        {
            var operation = document.Paths[path].Operations![new HttpMethod(method)];
            Assert.True(operation.Security is { Count: > 0 }, $"{method} {path} names no security scheme");
            var entra = Assert.Single(operation.Security.SelectMany(r => r), r => r.Key.Reference.Id == "Entra");
            Assert.Equal([method == "GET" ? "Api.Read" : "Api.Write"], entra.Value);
            Assert.True(operation.Responses!.ContainsKey("401") && operation.Responses.ContainsKey("403"), $"{method} {path} lacks 401/403");
            Assert.Contains(operation.Responses, r => r.Key.StartsWith('2'));
            Assert.All(operation.Responses.Where(r => r.Key.StartsWith('4')), r => Assert.Contains("application/problem+json", r.Value.Content!.Keys));
            Assert.True(operation.Responses.TryGetValue("429", out var tooMany) && tooMany.Headers!.ContainsKey("Retry-After"), $"{method} {path}: 429 without Retry-After");
            Assert.True(operation.RequestBody is null || operation.Responses.ContainsKey("413"), $"{method} {path} takes a body but lacks 413");
        }
    }

    /// <summary><c>{id:guid}</c> → <c>{id}</c>, as OpenAPI writes a path parameter.</summary>
    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex Constraint();
}
