using CrmBlazor.Domain.Access;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Jobs;

/// <summary>
/// Compares this instance's permission matrix with the stored stamp every <c>Permissions:RecheckSeconds</c> (at most
/// a minute) and reloads it when another instance changed it: the <c>PermissionsChanged</c> message makes that
/// immediate, this makes it certain when the message is lost (Redis down, a dropped subscription). Runs on every
/// instance, whatever <c>Jobs:Enabled</c> says: it is part of access control, not a job.
/// </summary>
public sealed class PermissionRecheckHost(
    Permissions permissions, IOptions<PermissionRecheckOptions> options, TimeProvider time, ILogger<PermissionRecheckHost> logger)
    : BackgroundService
{
    private PeriodicTimer? _timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Made here, not in ExecuteAsync (which runs on another thread): the interval counts from start-up.
        _timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RecheckSeconds), time);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _timer!;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await permissions.RefreshIfChangedAsync(stoppingToken))
                {
                    logger.LogInformation("The permission matrix changed on another instance; reloaded at stamp {Stamp}", permissions.Stamp);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed check is logged and the next one tries again; the host must not stop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Checking the permission matrix's stamp failed; trying again in {Seconds} s", options.Value.RecheckSeconds);
            }
        }
    }
}
