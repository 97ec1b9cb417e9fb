using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Tests.Culture;

/// <summary>SPEC J1 through the real host: a page's first HTML already shows times in the user's own zone, others' in the company's.</summary>
public sealed class PrerenderedTimeZoneTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_audit_log_names_the_zone_its_times_are_in_the_user_s_own_or_the_company_s()
    {
        await using var app = new CrmAppFactory(_database.Settings);
        var admin = await app.SignedInClientAsync("demo-admin");
        Assert.Contains("Time (Asia/Shanghai)", await admin.GetStringAsync("/admin/audit"), StringComparison.Ordinal);

        await using (var db = DomainServices.CreateSystemContext(_database.Settings, TimeProvider.System))
        {
            await db.Users.Where(u => u.ExternalId == "demo-admin").ExecuteUpdateAsync(u => u.SetProperty(x => x.TimeZone, "Europe/Berlin"));
        }

        Assert.Contains("Time (Europe/Berlin)", await admin.GetStringAsync("/admin/audit"), StringComparison.Ordinal);
    }
}
