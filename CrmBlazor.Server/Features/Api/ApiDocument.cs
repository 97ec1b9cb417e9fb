using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CrmBlazor.Server.Features.Api;

/// <summary>The document's title and the key's two ways in (<c>Authorization: Bearer crm_…</c>, <c>X-Api-Key</c>), required by every operation.</summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    private const string Bearer = "Bearer";

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
        };
        foreach (var operation in document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []))
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [] });
        }
        return Task.CompletedTask;
    }
}
