using CrmBlazor.Domain.Live;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Server.Hubs;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Server.Jobs;

/// <summary>
/// Ends live-hub sessions on this instance: at once when any instance tells <see cref="UserAccessChanged"/> (and forgets
/// the user's cached stamp), and every <c>Auth:RevalidationInterval</c> for every open connection, so a lost message or
/// a change made without one (a sign-in bringing other roles) still takes effect within a minute. The API keys read
/// from the store are forgotten on the same news, and when this instance may have missed some (<see cref="LiveResync"/>).
/// Runs on every instance, whatever <c>Jobs:Enabled</c> says: it is part of access control, not a job.
/// </summary>
public sealed class SessionRevocationHost(
    ILiveEvents liveEvents, SessionCheck sessions, HubSessions hubSessions, Domain.Api.ApiKeyAuthenticator apiKeys, IOptions<AuthSessionOptions> options, TimeProvider time,
    ILogger<SessionRevocationHost> logger) : BackgroundService
{
    private IDisposable? _subscription;
    private IDisposable? _resyncSubscription;
    private PeriodicTimer? _timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = liveEvents.Subscribe<UserAccessChanged>(OnAccessChanged);
        _resyncSubscription = liveEvents.Subscribe<LiveResync>(_ =>
        {
            apiKeys.Forget();
            return Task.CompletedTask;
        });
        _timer = new PeriodicTimer(options.Value.RevalidationInterval, time);
        return base.StartAsync(cancellationToken);
    }

    private Task OnAccessChanged(UserAccessChanged changed)
    {
        sessions.Forget(changed.UserId);
        apiKeys.Forget(); // a revoked key's account, or a key's account given other roles or teams
        var dropped = hubSessions.AbortUser(changed.UserId);
        if (dropped > 0)
        {
            logger.LogInformation("Access of user {UserId} changed: dropped {Count} hub connection(s)", changed.UserId, dropped);
        }
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _timer!;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed sweep is logged and the next one tries again; the host must not stop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Checking the hub connections' sessions failed; trying again in {Interval}", options.Value.RevalidationInterval);
            }
        }
    }

    /// <summary>Drops every open hub connection whose session is no longer valid.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var open = hubSessions.Open.Where(c => c.User is not null).ToList();
        if (open.Count == 0)
        {
            return;
        }
        var verdicts = await sessions.CheckAllAsync(open.Select(c => c.User!).ToList(), cancellationToken);
        foreach (var (connection, verdict) in open.Zip(verdicts).Where(p => p.Second != SessionVerdict.Valid))
        {
            logger.LogInformation("Hub connection {ConnectionId} dropped: session {Verdict}", connection.ConnectionId, verdict);
            hubSessions.Abort(connection);
        }
    }

    public override void Dispose()
    {
        _subscription?.Dispose();
        _resyncSubscription?.Dispose();
        base.Dispose();
    }
}
