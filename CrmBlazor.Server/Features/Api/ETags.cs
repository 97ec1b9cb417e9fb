using System.Globalization;

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
}
