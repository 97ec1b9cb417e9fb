using CrmBlazor.Domain.Live;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Jobs;

/// <summary>
/// Runs <see cref="LiveEventCatchUp"/> every <c>LiveEvents:CatchUpInterval</c> on every instance, whatever
/// <c>Jobs:Enabled</c> says: it is how live events survive a Redis outage or a publisher that died after its commit.
/// The interval is real time (it paces a poll; it decides nothing by the date).
/// </summary>
public sealed class LiveEventCatchUpHost(LiveEventCatchUp catchUp, IOptions<LiveEventOptions> options, ILogger<LiveEventCatchUpHost> logger)
    : BackgroundService
{
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CatchUpInterval);
        do
        {
            try
            {
                var delivered = await catchUp.PassAsync(stoppingToken);
                if (delivered > 0)
                {
                    logger.LogInformation("Live events: {Count} delivered from the outbox that pub/sub had not brought", delivered);
                }
                _failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed read is logged once and the next pass tries again; the host must not stop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!_failing)
                {
                    logger.LogError(ex, "Reading the live-event outbox failed; trying again every {Interval}", options.Value.CatchUpInterval);
                }
                _failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
