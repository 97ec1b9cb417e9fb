namespace CrmBlazor.Server.Hosting;

/// <summary>
/// This instance's HTTP request durations over the last <see cref="Window"/>, for the status page's p50/p95 (SPEC I1).
/// Fed by a middleware (<see cref="ObservabilityHosting"/>); time from <see cref="TimeProvider"/>. Holds at most
/// <see cref="Capacity"/> samples: past that the oldest go first, so under heavy load the window is the most recent
/// requests rather than a full 15 minutes (the exported histogram <c>http.server.request.duration</c> has them all).
/// </summary>
public sealed class RequestTimings(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    public const int Capacity = 50_000;

    private readonly Queue<(DateTimeOffset At, double Milliseconds)> _samples = new();
    private readonly Lock _lock = new();

    public void Record(TimeSpan duration)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _samples.Enqueue((now, duration.TotalMilliseconds));
            if (_samples.Count > Capacity)
            {
                _samples.Dequeue();
            }
            Prune(now);
        }
    }

    /// <summary>The nearest-rank p50 and p95 of the requests within the window; null percentiles when there were none.</summary>
    public RequestPercentiles Percentiles()
    {
        double[] durations;
        lock (_lock)
        {
            Prune(time.GetUtcNow());
            durations = _samples.Select(s => s.Milliseconds).ToArray();
        }
        if (durations.Length == 0)
        {
            return new RequestPercentiles(0, null, null);
        }
        Array.Sort(durations);
        return new RequestPercentiles(durations.Length, NearestRank(durations, 50), NearestRank(durations, 95));
    }

    private static double NearestRank(double[] sorted, int percentile) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1)];

    private void Prune(DateTimeOffset now)
    {
        while (_samples.Count > 0 && now - _samples.Peek().At > Window)
        {
            _samples.Dequeue();
        }
    }
}

public sealed record RequestPercentiles(int Count, double? P50Milliseconds, double? P95Milliseconds);
