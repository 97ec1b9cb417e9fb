using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Tiering;

namespace CrmBlazor.Server.Jobs;

/// <summary>
/// Runs the minute jobs on every instance: the reminder pass (<see cref="ReminderJob"/>), the SLA
/// breach pass (<see cref="SlaBreachJob"/>), the ticket SLA watch (<see cref="CrmBlazor.Domain.Tickets.TicketSlaJob"/>), the monthly tier evaluation (<see cref="TierJob"/>) and the
/// removal of old import files (<see cref="CrmBlazor.Domain.Importing.ImportCleanup"/>) and the daily backup with its retention
/// (<see cref="CrmBlazor.Domain.Backups.BackupJob"/>). Each job makes sure its work happens once across
/// instances. Off with <c>Jobs:Enabled=false</c>.
/// </summary>
public sealed class MinuteJobsHost(IServiceScopeFactory scopes, TimeProvider time, ILogger<MinuteJobsHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            await RunAsync("reminder", sp => sp.GetRequiredService<ReminderJob>().RunAsync(stoppingToken), stoppingToken);
            await RunAsync("SLA breach", sp => sp.GetRequiredService<SlaBreachJob>().RunAsync(stoppingToken), stoppingToken);
            await RunAsync("ticket SLA", sp => sp.GetRequiredService<CrmBlazor.Domain.Tickets.TicketSlaJob>().RunAsync(stoppingToken), stoppingToken);
            await RunAsync("monthly tier", sp => sp.GetRequiredService<TierJob>().RunAsync(stoppingToken), stoppingToken);
            await RunAsync("import cleanup", sp => sp.GetRequiredService<CrmBlazor.Domain.Importing.ImportCleanup>().RunAsync(stoppingToken), stoppingToken);
            await RunAsync("backup", sp => sp.GetRequiredService<CrmBlazor.Domain.Backups.BackupJob>().RunAsync(stoppingToken), stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested && await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunAsync(string name, Func<IServiceProvider, Task> pass, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await pass(scope.ServiceProvider);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed pass is logged and the next minute tries again; the host must not stop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "The {Job} pass failed; it runs again in a minute", name);
        }
    }
}
