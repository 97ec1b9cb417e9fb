using CrmBlazor.Domain.Demands;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Domain.Interactions;
using CrmBlazor.Domain.Tickets;
using CrmBlazor.Domain.Tiering;

namespace CrmBlazor.Server.Jobs;

/// <summary>
/// Runs the minute jobs on every instance: the reminder pass (<see cref="ReminderJob"/>), the SLA
/// breach pass (<see cref="SlaBreachJob"/>), the ticket SLA watch (<see cref="TicketSlaJob"/>), the monthly tier evaluation (<see cref="TierJob"/>), the data-quality month
/// (<see cref="CrmBlazor.Domain.DataQuality.DataQualityJob"/>: cleaning checklist, figures for the trend) and the
/// removal of old import files (<see cref="ImportCleanup"/>) and the daily backup with its retention
/// (<see cref="CrmBlazor.Domain.Backups.BackupJob"/>). Each job makes sure its work happens once across
/// instances. Each pass goes through <see cref="JobRuns"/> (last run, duration, outcome; metrics). Off with <c>Jobs:Enabled=false</c>.
/// </summary>
public sealed class MinuteJobsHost(IServiceScopeFactory scopes, JobRuns runs, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        do
        {
            await RunAsync("reminders", (sp, ct) => sp.GetRequiredService<ReminderJob>().RunAsync(ct), stoppingToken);
            await RunAsync("demand-sla", (sp, ct) => sp.GetRequiredService<SlaBreachJob>().RunAsync(ct), stoppingToken);
            await RunAsync("ticket-sla", (sp, ct) => sp.GetRequiredService<TicketSlaJob>().RunAsync(ct), stoppingToken);
            await RunAsync("tiers", (sp, ct) => sp.GetRequiredService<TierJob>().RunAsync(ct), stoppingToken);
            await RunAsync("data-quality", (sp, ct) => sp.GetRequiredService<CrmBlazor.Domain.DataQuality.DataQualityJob>().RunAsync(ct), stoppingToken);
            await RunAsync("import-cleanup", (sp, ct) => sp.GetRequiredService<ImportCleanup>().RunAsync(ct), stoppingToken);
            await RunAsync("backup", (sp, ct) => sp.GetRequiredService<CrmBlazor.Domain.Backups.BackupJob>().RunAsync(ct), stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested && await timer.WaitForNextTickAsync(stoppingToken));
    }

    private Task RunAsync(string job, Func<IServiceProvider, CancellationToken, Task> pass, CancellationToken stoppingToken) =>
        runs.RunAsync(job, async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await pass(scope.ServiceProvider, ct);
        }, stoppingToken);
}
