using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Data;
using CrmBlazor.Domain.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CrmBlazor.Bench;

/// <summary>A Domain service acting as <c>user</c> on the benchmark's database, as the app would resolve it for a page.</summary>
internal static class BenchServices
{
    public static T Service<T>(DatabaseSettings settings, ICurrentUser user) where T : notnull
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddCrmDomain(settings);
        services.AddSingleton<ILiveEvents>(new LocalLiveEvents(NullLogger<LocalLiveEvents>.Instance));
        services.AddScoped(_ => user);
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<T>();
    }
}
