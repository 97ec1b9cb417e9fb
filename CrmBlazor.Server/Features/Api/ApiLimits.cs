using CrmBlazor.Server.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Features.Api;

/// <summary><c>Api</c>: settings of the integration API. Its rate limit sits with the others, <c>RateLimits:Api</c>.</summary>
public sealed class ApiSettings
{
    public const string Section = "Api";

    /// <summary>The largest request body an API call may send, in bytes; a larger one is 413 before anything is read into a record.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1_048_576;
}

/// <summary>
/// Issue 16, limits: a request body cap on <c>/api</c> (413 problem details, whether the body states its length or is sent
/// in chunks) and a rate limit per caller — each API key, Entra application and user has its own window (429 problem details
/// with <c>Retry-After</c>). The list's page size is capped where the list is read (<see cref="CustomersApi"/>).
/// </summary>
public static class ApiLimits
{
    public const string RateLimitPolicy = "api";

    private const string TooLargeKey = "crm:api-body-too-large";

    public static IServiceCollection AddCrmApiLimits(this IServiceCollection services)
    {
        services.AddOptions<ApiSettings>().BindConfiguration(ApiSettings.Section)
            .Validate(s => s.MaxRequestBodyBytes > 0, "Api:MaxRequestBodyBytes must be positive.")
            .ValidateOnStart();
        // After AddCrmSecurity's AddRateLimiter: the API's policy beside sign-in's and exports', and its refusals as problems.
        services.PostConfigure<RateLimiterOptions>(options =>
        {
            options.AddPolicy(RateLimitPolicy, context => SecurityHosting.Partition(context, s => s.Api));
            var refuse = options.OnRejected;
            options.OnRejected = (rejected, cancellationToken) =>
                ApiHosting.IsApi(rejected.HttpContext.Request) ? RefuseAsync(rejected)
                : refuse?.Invoke(rejected, cancellationToken) ?? ValueTask.CompletedTask;
        });
        return services;
    }

    /// <summary>A body over the cap: refused at once when its length is stated, otherwise when reading passes the cap.</summary>
    public static async Task CapRequestBodyAsync(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<ApiSettings>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = limit;
        }
        context.Request.Body = new CappedBody(context.Request.Body, limit, () => context.Items[TooLargeKey] = true);
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Items[TooLargeKey] = true;
        }
        // The endpoint's binding may swallow the read error and answer 400: the caller learns the real reason.
        if ((context.Items.ContainsKey(TooLargeKey) || context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge) && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await TooLargeAsync(context, limit);
        }
    }

    private static Task TooLargeAsync(HttpContext context, long limit) =>
        ApiProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Api.PayloadTooLarge", limit);

    private static async ValueTask RefuseAsync(OnRejectedContext rejected)
    {
        var context = rejected.HttpContext;
        var seconds = SecurityHosting.RetryAfterSeconds(rejected);
        var texts = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        await ApiProblems.Problem(context, StatusCodes.Status429TooManyRequests, "Api.TooManyRequests", texts["RateLimit.TooMany", seconds].Value).ExecuteAsync(context);
    }

    /// <summary>The request body, refusing to read past <c>limit</c> bytes (413, as Kestrel's own limit does).</summary>
    private sealed class CappedBody(Stream inner, long limit, Action exceeded) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                exceeded();
                throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }
            return read;
        }
    }
}
