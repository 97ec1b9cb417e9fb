using System.Data.Common;
using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Server.Hosting;
using CrmBlazor.Server.Jobs;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace CrmBlazor.Server.Features.Status;

/// <summary>What the status page shows of this instance at one moment.</summary>
public sealed record InstanceStatusSnapshot(
    string MachineName, int ProcessId, string Version, string Commit, DateTimeOffset StartedAt, TimeSpan Uptime,
    int CircuitsOpen, int SignedInUsers, RequestPercentiles Requests,
    DatabaseProvider DatabaseProvider, long? DatabaseBytes,
    RedisStatus Redis, bool JobsEnabled, IReadOnlyList<JobRun> Jobs);

/// <summary>Redis as this instance sees it: configured at all, connected now, and a PING's round trip.</summary>
public sealed record RedisStatus(bool Configured, bool Connected, double? LatencyMilliseconds);

/// <summary>
/// The status page's one call (SPEC I1): this instance's build, uptime, circuits, request percentiles, database,
/// Redis and background jobs. Per instance by design: behind a load balancer each instance answers for itself.
/// Admin only — <c>Administration.Configure</c>, checked on every call.
/// </summary>
public sealed class InstanceStatus(
    Permissions permissions, ICurrentUser user, InstanceInfo instance, InstanceCircuits circuits, RequestTimings timings, JobRuns jobs,
    DatabaseSettings database, IDbContextFactory<CrmDbContext> dbFactory, IConfiguration configuration, IServiceProvider services,
    ILogger<InstanceStatus> logger)
{
    public async Task<InstanceStatusSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        permissions.Demand(user, Module.Administration, Operation.Configure);
        return new InstanceStatusSnapshot(
            instance.MachineName, instance.ProcessId, InstanceInfo.Version, InstanceInfo.Commit, instance.StartedAt, instance.Uptime,
            circuits.Count, circuits.SignedInUsers, timings.Percentiles(),
            database.Provider, await DatabaseBytesAsync(cancellationToken),
            await RedisAsync(), configuration.GetValue("Jobs:Enabled", true), jobs.Last);
    }

    private async Task<long?> DatabaseBytesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await DatabaseSize.MeasureAsync(database, db, cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not measure the database's size");
            return null;
        }
    }

    private async Task<RedisStatus> RedisAsync()
    {
        if (services.GetService<IConnectionMultiplexer>() is not { } redis)
        {
            return new RedisStatus(false, false, null);
        }
        try
        {
            var latency = await redis.GetDatabase().PingAsync();
            return new RedisStatus(true, redis.IsConnected, latency.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new RedisStatus(true, false, null);
        }
    }
}
