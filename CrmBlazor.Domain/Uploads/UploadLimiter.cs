using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Common;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Domain.Uploads;

/// <summary><c>RateLimits:UploadsPerMinute</c>: uploads (an import workbook, a demand's evidence) one user may send per minute.</summary>
public sealed class UploadLimitOptions
{
    public const string Section = "RateLimits";

    public int UploadsPerMinute { get; set; } = 10;
}

/// <summary>Too many uploads from this user in the last minute; nothing was stored. Try again after <see cref="RetryAfterSeconds"/>.</summary>
public sealed class TooManyUploadsException(int retryAfterSeconds)
    : CrmException("Error.TooManyUploads", $"Too many uploads: try again in {retryAfterSeconds} seconds.", retryAfterSeconds)
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>
/// A per-user sliding one-minute window over uploads. Uploads arrive through the Blazor circuit (InputFile), which the
/// HTTP rate limiter never sees, so the Domain service that accepts an upload asks here first (issue #12 §3). On
/// <see cref="TimeProvider"/>, so tests move the window with a fake clock. Per instance: with sticky sessions a
/// user's circuit stays on one instance.
/// </summary>
public sealed class UploadLimiter(TimeProvider time, IOptions<UploadLimitOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = [];
    private readonly Lock _lock = new();

    /// <summary>Counts one upload by <paramref name="user"/>, or throws <see cref="TooManyUploadsException"/> when the minute's uploads are used up.</summary>
    public void Take(ICurrentUser user)
    {
        if (user.IsSystem)
        {
            return;
        }
        var key = user.UserId?.ToString() ?? user.DisplayName;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_recent.TryGetValue(key, out var uploads))
            {
                ForgetIdle(now);
                _recent[key] = uploads = new Queue<DateTimeOffset>();
            }
            while (uploads.Count > 0 && uploads.Peek() <= now - Window)
            {
                uploads.Dequeue();
            }
            if (uploads.Count >= options.Value.UploadsPerMinute)
            {
                var retryAfter = uploads.Peek() + Window - now;
                throw new TooManyUploadsException(Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));
            }
            uploads.Enqueue(now);
        }
    }

    /// <summary>Users with nothing in the window are dropped, so the table holds only the last minute's uploaders.</summary>
    private void ForgetIdle(DateTimeOffset now)
    {
        foreach (var (key, uploads) in _recent)
        {
            if (uploads.Count == 0 || uploads.Last() <= now - Window)
            {
                _recent.Remove(key);
            }
        }
    }
}
