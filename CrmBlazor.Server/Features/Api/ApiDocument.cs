using CrmBlazor.Domain.Api;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// The document's title and the three ways in, one of which every operation requires: the key as a bearer token
/// (<c>crm_…</c>) or in <c>X-Api-Key</c>, and an Entra access token, whose requirement names the app role an application
/// needs for the operation (Api.Read to read, Api.Write to change).
/// </summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    private const string Bearer = "Bearer";
    private const string Entra = "Entra";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CrmBlazor API",
            Version = "v1",
            Description = "JSON in camelCase, times in UTC (ISO 8601), amounts in CNY. Errors are RFC 9457 problem details in the " +
                "language of Accept-Language (zh-CN or en). Updates need If-Match with the ETag read (428 without, 412 when stale).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "crm_{prefix}_{secret}",
                Description = "An API key an Admin issued, as a bearer token.",
            },
            [ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "The same API key in its own header.",
            },
            [Entra] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An Entra ID access token for this API (audience AzureAd:Audience, else the app's client id). An application's " +
                    $"token (client credentials) carries the app role {EntraApplications.ReadRole} (read) or {EntraApplications.WriteRole} " +
                    "(read and change) and acts as the application's own service account; a delegated token (scp) acts as the signed-in " +
                    "user, with their roles and the customers they may see.",
            },
        };
        foreach (var (method, operation) in document.Paths.Values.SelectMany(path => path.Operations?.AsEnumerable() ?? []))
        {
            var appRole = method == HttpMethod.Get || method == HttpMethod.Head ? EntraApplications.ReadRole : EntraApplications.WriteRole;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Entra, document)] = [appRole] });
            DescribeLimits(operation);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// What <see cref="ApiLimits"/> answers, on each operation: 429 says when to come back (<c>Retry-After</c>), and an
    /// operation that takes a body may get 413 when it is over <c>Api:MaxRequestBodyBytes</c>.
    /// </summary>
    private static void DescribeLimits(OpenApiOperation operation)
    {
        if (operation.Responses?.TryGetValue("429", out var limited) != true || limited is not OpenApiResponse tooMany)
        {
            return;
        }
        tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>();
        tooMany.Headers["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds until the caller's window (RateLimits:Api) lets it call again.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
        };
        if (operation.RequestBody is not null && !operation.Responses.ContainsKey("413"))
        {
            operation.Responses["413"] = new OpenApiResponse
            {
                Description = "The body is over Api:MaxRequestBodyBytes (1 MiB unless configured); nothing was read.",
                Content = tooMany.Content is null ? null : new Dictionary<string, OpenApiMediaType>(tooMany.Content),
            };
        }
    }
}
