using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Hosting;

/// <summary><c>ForwardedHeaders</c>: the reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed.</summary>
public sealed class ProxySettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>IP addresses of the proxies. Empty: only a proxy on this host (loopback), ASP.NET Core's default.</summary>
    public List<string> KnownProxies { get; set; } = [];
}

/// <summary><c>RateLimits</c>: requests per window, per signed-in user (per IP address when anonymous).</summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in attempts per IP address (an office behind one NAT address shares it).</summary>
    public RateLimitWindow SignIn { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    /// <summary>Workbook exports per user: customers, reports, tier dashboard, all together.</summary>
    public RateLimitWindow Export { get; set; } = new() { PermitLimit = 10, WindowSeconds = 60 };

    /// <summary>Integration API calls per caller: each API key, Entra application and user counts alone.</summary>
    public RateLimitWindow Api { get; set; } = new() { PermitLimit = 600, WindowSeconds = 60 };
}

public sealed class RateLimitWindow
{
    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }
}

/// <summary>
/// ASVS 5.0 chapter 3 and 13 (part): forwarded headers from known proxies, a Content-Security-Policy and the
/// other security headers on every response (errors and downloads included), and rate limits on sign-in and exports.
/// </summary>
public static class SecurityHosting
{
    public const string SignInLimit = "signin";
    public const string ExportLimit = "export";

    private const string NonceKey = "crm:csp-nonce";

    public static WebApplicationBuilder AddCrmSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ProxySettings>().BindConfiguration(ProxySettings.Section)
            .Validate(s => s.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "ForwardedHeaders:KnownProxies must list IP addresses.")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxySettings>>((options, proxies) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (proxies.Value.KnownProxies.Count > 0)
            {
                options.KnownIPNetworks.Clear();
                options.KnownProxies.Clear();
                foreach (var proxy in proxies.Value.KnownProxies)
                {
                    options.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            }
        });

        // Antiforgery's cookie is never Secure by default; like the sign-in cookie, follow the browser's scheme.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);

        services.AddOptions<RateLimitSettings>().BindConfiguration(RateLimitSettings.Section)
            .Validate(s => new[] { s.SignIn, s.Export, s.Api }.All(w => w.PermitLimit > 0 && w.WindowSeconds > 0),
                "RateLimits:*:PermitLimit and RateLimits:*:WindowSeconds must be positive.")
            .ValidateOnStart();
        // Uploads come through the circuit, not HTTP: the Domain's UploadLimiter counts them (RateLimits:UploadsPerMinute).
        services.AddOptions<CrmBlazor.Domain.Uploads.UploadLimitOptions>().BindConfiguration(CrmBlazor.Domain.Uploads.UploadLimitOptions.Section)
            .Validate(o => o.UploadsPerMinute > 0, "RateLimits:UploadsPerMinute must be positive.")
            .ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RefuseAsync;
            options.AddPolicy(SignInLimit, context => Partition(context, s => s.SignIn));
            options.AddPolicy(ExportLimit, context => Partition(context, s => s.Export));
        });
        return builder;
    }

    /// <summary>First in the pipeline: the proxy's scheme and client address, then headers that every response carries.</summary>
    public static WebApplication UseCrmSecurityHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var formTargets = app.Configuration.UsesAzureAd() && Uri.TryCreate(app.Configuration["AzureAd:Instance"], UriKind.Absolute, out var instance)
            ? $"'self' {instance.GetLeftPart(UriPartial.Authority)}"
            : "'self'";
        app.Use((context, next) =>
        {
            var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
            // On starting, not now: the exception handler clears headers before it renders the error page.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce, formTargets, context.Request);
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>After sign-in, so a signed-in user's requests count against their own limit.</summary>
    public static WebApplication UseCrmRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// A state-changing POST (exports, sign-out) must carry the antiforgery token of a form this app rendered
    /// (<c>&lt;AntiforgeryToken /&gt;</c>, field <c>__RequestVerificationToken</c>); without a valid one it answers
    /// 400 before the handler runs. One explicit check for every such endpoint, with or without form parameters:
    /// the framework's own check covers only endpoints that bind a form and, in Development, throws instead of
    /// answering, so it is switched off here in favour of this one.
    /// </summary>
    public static TBuilder RequireAntiforgeryToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.DisableAntiforgery().AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            {
                return await next(context);
            }
            var texts = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            return Results.Text(texts["Security.FormExpired"], "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        });

    /// <summary>The nonce this request's CSP allows, for the one inline script Blazor writes (the import map).</summary>
    public static string? CspNonce(this HttpContext context) => context.Items[NonceKey] as string;

    /// <summary>
    /// Blazor Server needs no eval; MudBlazor sets inline styles (and a theme <c>&lt;style&gt;</c>); the circuit
    /// talks over a WebSocket to this host. Forms post here (or, for Azure AD sign-out, redirect to its instance).
    /// </summary>
    public static string ContentSecurityPolicy(string nonce, string formTargets, HttpRequest request)
    {
        var socket = $"{(request.IsHttps ? "wss" : "ws")}://{request.Host}";
        return $"default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action {formTargets}; " +
            $"script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
            $"connect-src 'self' {socket}";
    }

    /// <summary>A fixed window per signed-in user (a key's or an application's account is one), per IP address when anonymous.</summary>
    internal static RateLimitPartition<string> Partition(HttpContext context, Func<RateLimitSettings, RateLimitWindow> pick)
    {
        var window = pick(context.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value);
        var key = context.User.FindFirstValue(CrmClaims.UserId) is { } userId
            ? $"user:{userId}"
            : $"ip:{context.Connection.RemoteIpAddress}";
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = window.PermitLimit,
            Window = TimeSpan.FromSeconds(window.WindowSeconds),
            QueueLimit = 0,
        });
    }

    /// <summary>The seconds a refused caller should wait, also sent as <c>Retry-After</c>.</summary>
    internal static int RetryAfterSeconds(OnRejectedContext rejected)
    {
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }

    private static async ValueTask RefuseAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var response = rejected.HttpContext.Response;
        var seconds = RetryAfterSeconds(rejected);
        response.ContentType = "text/plain; charset=utf-8";
        var texts = rejected.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        await response.WriteAsync(texts["RateLimit.TooMany", seconds], cancellationToken);
    }
}
