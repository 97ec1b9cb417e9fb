using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// <c>AccessLog</c> settings (docs/decisions/0023): which requests get a line in the access log.
/// </summary>
public sealed class AccessLogOptions
{
    /// <summary>Log every request, successful reads included (off by default: at API rates the lines cost a quarter of the CPU).</summary>
    public bool AllRequests { get; set; }

    /// <summary>A read that takes at least this long is logged however it ended.</summary>
    public TimeSpan SlowAfter { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The access log (SPEC I1): one structured line — method, path, status, duration, and the trace id from the logging
/// scope — for every write (POST, PUT, PATCH, DELETE), every answer of 400 or above and every slow request; a fast,
/// successful GET, HEAD or OPTIONS gets none unless <see cref="AccessLogOptions.AllRequests"/>. Every request still
/// counts in the status page's timings and in OpenTelemetry's request metrics and traces. A circuit's or hub's requests
/// (<c>/_blazor</c>, <c>/hubs</c>: the negotiate POST, the long-lived connection) are logged only when refused.
/// </summary>
public sealed partial class AccessLog(ILogger<AccessLog> logger, IOptionsMonitor<AccessLogOptions> options)
{
    public void Record(HttpContext context, int status, TimeSpan elapsed, bool longLived) // longLived: /_blazor, /hubs
    {
        var method = context.Request.Method;
        if (!logger.IsEnabled(LogLevel.Information) || IsQuiet(method, status, elapsed, longLived, options.CurrentValue))
        {
            return;
        }
        Request(logger, method, context.Request.Path.Value ?? "/", status, elapsed.TotalMilliseconds);
    }

    public static bool IsQuiet(string method, int status, TimeSpan elapsed, bool longLived, AccessLogOptions options) =>
        !options.AllRequests && status < StatusCodes.Status400BadRequest
        && (longLived || ((HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) && elapsed < options.SlowAfter));

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {DurationMs:0.0} ms")]
    private static partial void Request(ILogger logger, string method, string path, int statusCode, double durationMs);
}
