using CrmBlazor.Server.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CrmBlazor.Tests.Hosting;

/// <summary>SPEC I1: each background pass is recorded on this instance — when, how long, how it ended — for the status page.</summary>
public sealed class JobRunsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_last_pass_of_each_job_is_kept_with_its_start_duration_outcome_and_error()
    {
        var runs = new JobRuns(_time, NullLogger<JobRuns>.Instance);
        var start = _time.GetUtcNow();

        await runs.RunAsync("reminders", _ => { _time.Advance(TimeSpan.FromSeconds(2)); return Task.CompletedTask; }, CancellationToken.None);
        await runs.RunAsync("tiers", _ => throw new InvalidOperationException("the database went away"), CancellationToken.None);

        Assert.Collection(runs.Last,
            reminders => Assert.Equal(new JobRun("reminders", start, TimeSpan.FromSeconds(2), JobOutcome.Succeeded, null), reminders),
            tiers =>
            {
                Assert.Equal(JobOutcome.Failed, tiers.Outcome);
                Assert.Equal("InvalidOperationException: the database went away", tiers.Error);
                Assert.Equal(start.AddSeconds(2), tiers.StartedAt);
            });

        _time.Advance(TimeSpan.FromMinutes(1));
        await runs.RunAsync("tiers", _ => Task.CompletedTask, CancellationToken.None);
        var again = Assert.Single(runs.Last, r => r.Job == "tiers");
        Assert.Equal(JobOutcome.Succeeded, again.Outcome);
        Assert.Null(again.Error);
    }

    [Fact]
    public async Task A_pass_stopped_by_shutdown_is_not_recorded_as_a_run()
    {
        var runs = new JobRuns(_time, NullLogger<JobRuns>.Instance);
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();

        await runs.RunAsync("reminders", ct => Task.FromCanceled(ct), stopping.Token);

        Assert.Empty(runs.Last);
    }
}
