using System.Globalization;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Server.Features.Api;

/// <summary>Strong ETags from a record's <c>Version</c>: <c>"7"</c>. Updates must send the one they read in <c>If-Match</c>.</summary>
public static class ETags
{
    public static string Of(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void Set(HttpResponse response, int version) => response.Headers.ETag = Of(version);

    /// <summary>What <c>If-Match</c> says: absent (428), a version, or something no current ETag matches (412).</summary>
    public static IfMatch Read(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            return new IfMatch(Present: false, Version: null);
        }
        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
            && int.TryParse(tag[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? new IfMatch(true, version)
            : new IfMatch(true, null);
    }

    public sealed record IfMatch(bool Present, int? Version);

    /// <summary>
    /// A change under <c>If-Match</c>, for any record with a version: the record is read first (out of scope or missing: 404
    /// before anything else), then 428 without <c>If-Match</c>, 412 when it is not the current ETag (and again when the
    /// service's own version check loses to a save in between), else the change and the record again with its new ETag.
    /// </summary>
    public static async Task<IResult> IfMatchingAsync<TRecord, TResource>(
        HttpContext context, Func<Task<TRecord>> read, Func<TRecord, int> versionOf, Func<int, Task> change, Func<TRecord, TResource> resource)
    {
        var current = await read();
        var ifMatch = Read(context.Request);
        if (!ifMatch.Present)
        {
            return ApiProblems.Problem(context, StatusCodes.Status428PreconditionRequired, "Api.IfMatchRequired");
        }
        if (ifMatch.Version != versionOf(current))
        {
            return ApiProblems.Problem(context, StatusCodes.Status412PreconditionFailed, "Api.PreconditionFailed");
        }
        try
        {
            await change(versionOf(current));
        }
        catch (ConcurrencyConflictException)
        {
            return ApiProblems.Problem(context, StatusCodes.Status412PreconditionFailed, "Api.PreconditionFailed");
        }
        var changed = await read();
        Set(context.Response, versionOf(changed));
        return TypedResults.Ok(resource(changed));
    }
}
