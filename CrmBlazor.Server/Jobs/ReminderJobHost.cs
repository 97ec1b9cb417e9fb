using CrmBlazor.Domain.Interactions;

namespace CrmBlazor.Server.Jobs;

/// <summary>
/// Runs <see cref="ReminderJob"/> every minute on every instance; the job itself makes sure each
/// reminder happens once across instances. Off with <c>Jobs:Enabled=false</c>.
/// </summary>
public sealed class ReminderJobHost(IServiceScopeFactory scopes, TimeProvider time, ILogger<ReminderJobHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ReminderJob>().RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass is logged and the next minute tries again; the host must not stop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "The reminder pass failed; it runs again in a minute");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
