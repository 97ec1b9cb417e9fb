using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Api;
using CrmBlazor.Domain.Common;
using CrmBlazor.Domain.Data;
using Microsoft.Extensions.Options;

namespace CrmBlazor.Bench;

internal static class BenchApiKey
{
    /// <summary>An Admin key for a day (every customer in scope), issued through <see cref="ApiKeyService"/> on the benchmark's database.</summary>
    public static async Task<string> IssueAdminAsync(DatabaseSettings settings)
    {
        var clock = new CompanyClock(TimeProvider.System, Options.Create(new CompanyOptions()));
        var keys = new ApiKeyService(new BenchContextFactory(settings), new BenchUser(null, [], new HashSet<Role> { Role.Admin }), new Permissions(settings, TimeProvider.System), clock, new CrmBlazor.Domain.Live.LocalLiveEvents(Microsoft.Extensions.Logging.Abstractions.NullLogger<CrmBlazor.Domain.Live.LocalLiveEvents>.Instance));
        var issued = await keys.IssueAsync(new ApiKeyInput($"bench {DateTime.UtcNow:yyyyMMddHHmmss}", Role.Admin, null, DateTime.UtcNow.AddDays(1)));
        return issued.Token;
    }
}

