using CrmBlazor.Domain.Live;
using CrmBlazor.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// Live events (SPEC C4, J3). In-process by default. With <c>Redis:Configuration</c>: events cross
/// instances through Redis pub/sub. Deliberately no SignalR Redis
/// backplane (docs/decisions/0002-live-events-without-signalr-backplane.md). Either way every instance also reads
/// the outbox (<see cref="LiveEventCatchUp"/>, docs/decisions/0017), so an event Redis lost still arrives.
/// </summary>
public static class LiveHosting
{
    public static WebApplicationBuilder AddCrmLiveEvents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<LocalLiveEvents>();
        services.AddOptions<LiveEventOptions>().Bind(builder.Configuration.GetSection("LiveEvents"));
        services.AddSingleton<LiveEventCatchUp>();
        services.AddHostedService<Jobs.LiveEventCatchUpHost>();
        var redisConfiguration = builder.Configuration["Redis:Configuration"];
        if (string.IsNullOrWhiteSpace(redisConfiguration))
        {
            services.AddSingleton<ILiveEvents>(sp => sp.GetRequiredService<LocalLiveEvents>());
        }
        else
        {
            var options = ConfigurationOptions.Parse(redisConfiguration);
            options.AbortOnConnectFail = false; // start and serve pages while Redis is down
            options.BacklogPolicy = BacklogPolicy.FailFast; // a publish while Redis is down falls back at once
            var redis = ConnectionMultiplexer.Connect(options);
            services.AddSingleton<IConnectionMultiplexer>(redis);
            services.AddSingleton<ILiveEvents>(sp => new RedisLiveEvents(
                redis, sp.GetRequiredService<LocalLiveEvents>(), sp.GetRequiredService<ILogger<RedisLiveEvents>>(),
                builder.Configuration["Redis:Channel"] ?? "crmblazor:live"));
        }

        if (!builder.Environment.IsProduction() && builder.Configuration["LiveEvents:CrashBeforePublishing"] is { Length: > 0 } crashKind)
        {
            var publisher = services.Last(d => d.ServiceType == typeof(ILiveEvents));
            services.Remove(publisher);
            services.AddSingleton<ILiveEvents>(sp => new CrashBeforePublishing(
                (ILiveEvents)publisher.ImplementationFactory!(sp), crashKind, sp.GetRequiredService<ILogger<CrashBeforePublishing>>()));
        }

        // Only the live hub: a filter on all hubs would reach Blazor's own circuit hub too.
        services.AddSignalR().AddHubOptions<LiveHub>(o => o.AddFilter<HubSessionFilter>());
        services.AddSingleton<LiveConnections>();
        services.AddHostedService<LiveHubRelay>();
        return builder;
    }

    public static WebApplication MapCrmLiveEvents(this WebApplication app)
    {
        app.MapHub<LiveHub>("/hubs/live");
        return app;
    }
}
