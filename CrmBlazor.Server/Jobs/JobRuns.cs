using System.Collections.Concurrent;
using CrmBlazor.Domain.Common;

namespace CrmBlazor.Server.Jobs;

public enum JobOutcome
{
    Succeeded,
    Failed,
}

/// <summary>One pass of a background job on this instance.</summary>
public sealed record JobRun(string Job, DateTimeOffset StartedAt, TimeSpan Duration, JobOutcome Outcome, string? Error);

/// <summary>
/// Runs a background job's pass and records it: the last run of each job on this instance (for the status page,
/// which shows one instance, so memory is enough and a restart starts empty) and the <c>crm.jobs.*</c> metrics.
/// A failed pass is logged, recorded and swallowed: the host must not stop, the next pass tries again.
/// Every job host (the minute jobs, the daily ones) runs its passes through <see cref="RunAsync"/>.
/// </summary>
public sealed class JobRuns(TimeProvider time, ILogger<JobRuns> logger)
{
    private const int MaxErrorLength = 500;

    private readonly ConcurrentDictionary<string, JobRun> _last = new();

    /// <summary>The last run of each job that ran on this instance since it started, by job name.</summary>
    public IReadOnlyList<JobRun> Last => _last.Values.OrderBy(r => r.Job, StringComparer.Ordinal).ToList();

    public async Task RunAsync(string job, Func<CancellationToken, Task> pass, CancellationToken stoppingToken)
    {
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        try
        {
            await pass(stoppingToken);
            Record(job, startedAt, started, JobOutcome.Succeeded, null);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: not a run worth showing.
        }
#pragma warning disable CA1031 // A failed pass is logged and the next one tries again; the host must not stop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "The {Job} pass failed; it runs again at its next turn", job);
            var message = ex.Message.Length > MaxErrorLength ? ex.Message[..MaxErrorLength] + "…" : ex.Message;
            Record(job, startedAt, started, JobOutcome.Failed, $"{ex.GetType().Name}: {message}");
        }
    }

    private void Record(string job, DateTimeOffset startedAt, long started, JobOutcome outcome, string? error)
    {
        var duration = time.GetElapsedTime(started);
        _last[job] = new JobRun(job, startedAt, duration, outcome, error);
        CrmMetrics.JobRan(job, outcome == JobOutcome.Succeeded ? "succeeded" : "failed", duration);
    }
}
