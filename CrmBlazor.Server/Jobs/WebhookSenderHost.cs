using System.Diagnostics;
using CrmBlazor.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Jobs;

/// <summary>
/// Runs <see cref="WebhookSender"/> every <c>Webhooks:PollInterval</c> on every instance, whatever <c>Jobs:Enabled</c> says:
/// each delivery is claimed per row, so instances share the work without sending anything twice. A pass that sent a full
/// batch is followed at once by the next. The interval is real time (it paces a poll; due times come from the TimeProvider).
/// Once an hour (real time, from start-up) it also prunes old delivered and dead deliveries (<see cref="WebhookSender.PruneAsync"/>).
/// </summary>
public sealed class WebhookSenderHost(WebhookSender sender, IOptions<WebhookOptions> options, ILogger<WebhookSenderHost> logger) : BackgroundService
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);
    private bool _failing;
    private long _prunedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        do
        {
            try
            {
                int sent;
                do
                {
                    sent = await sender.PassAsync(stoppingToken);
                }
                while (sent >= options.Value.BatchSize);
                if (_prunedAt == 0 || Stopwatch.GetElapsedTime(_prunedAt) >= PruneEvery)
                {
                    _prunedAt = Stopwatch.GetTimestamp();
                    await sender.PruneAsync(stoppingToken);
                }
                _failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass is logged once and the next one tries again; the host must not stop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!_failing)
                {
                    logger.LogError(ex, "Sending webhooks failed; trying again every {Interval}", options.Value.PollInterval);
                }
                _failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

}
