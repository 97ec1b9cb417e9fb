using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;

namespace CrmBlazor.Server.Features.Api;

/// <summary>
/// Issue 16, the integration API under <c>/api/v1</c>: the <c>ApiKey</c> scheme beside the sign-in schemes, the <c>Api</c>
/// policy scheme that picks it when a key is presented, the Entra bearer scheme for any other bearer token and the signed-in
/// cookie otherwise, problem details for every error and never a redirect, and the OpenAPI document at <c>/openapi/v1.json</c>.
/// </summary>
public static class ApiHosting
{
    public const string Scheme = "Api";
    public const string PathPrefix = "/api";

    public static WebApplicationBuilder AddCrmApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddEntraBearer(builder.Configuration)
            .AddPolicyScheme(Scheme, "API key, Entra token or signed-in user", options =>
            {
                options.ForwardDefaultSelector = context =>
                    ApiKeyAuthenticationHandler.Presents(context.Request) ? ApiKeyAuthenticationHandler.SchemeName
                    : EntraBearer.Presents(context.Request) ? EntraBearer.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme;
                // Whoever authenticated, the API answers 401/403 as problem details, never with a sign-in redirect.
                options.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
                options.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
            });
        services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            var toLogin = options.Events.OnRedirectToLogin;
            options.Events.OnRedirectToLogin = context => IsApi(context.Request) ? StatusOnly(context, StatusCodes.Status401Unauthorized) : toLogin(context);
            var toDenied = options.Events.OnRedirectToAccessDenied;
            options.Events.OnRedirectToAccessDenied = context => IsApi(context.Request) ? StatusOnly(context, StatusCodes.Status403Forbidden) : toDenied(context);
        });
        services.AddCrmApiLimits();
        services.AddProblemDetails();
        // A body or parameter that does not bind is a 400 problem in every environment (Development would throw).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<ApiDocument>();
        });
        return builder;
    }

    /// <summary>
    /// After the status pages: an API error keeps its problem details instead of becoming the HTML not-found page; and the
    /// request body cap, before anything reads the body.
    /// </summary>
    public static WebApplication UseCrmApi(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (!IsApi(context.Request))
            {
                return next(context);
            }
            if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            {
                statusPages.Enabled = false;
            }
            return ApiLimits.CapRequestBodyAsync(context, next);
        });
        return app;
    }

    public static WebApplication MapCrmApi(this WebApplication app)
    {
        var v1 = app.MapGroup($"{PathPrefix}/v1")
            .RequireAuthorization(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build())
            .RequireRateLimiting(ApiLimits.RateLimitPolicy)
            .AddEndpointFilter(ApiProblems.CatchCrmExceptionsAsync)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        v1.MapCustomersApi();
        v1.MapContactsApi();
        v1.MapInteractionsApi();
        v1.MapDictionariesApi();
        v1.MapDemandsApi();
        v1.MapTicketsApi();
        v1.MapLeadsApi();
        v1.MapWebhooksApi();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase);

    private static Task StatusOnly(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
