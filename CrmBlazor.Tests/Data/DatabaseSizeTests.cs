using CrmBlazor.Domain.Data;
using CrmBlazor.Tests.Infrastructure;

namespace CrmBlazor.Tests.Data;

/// <summary>SPEC I1: the status page's database size, the way each provider counts it, grows with the data.</summary>
public sealed class DatabaseSizeTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task The_size_of_a_migrated_database_grows_when_customers_are_added(DatabaseProvider provider)
    {
        await using var empty = await TestDatabase.CreateSeededAsync(provider, customers: 0);
        await using var filled = await TestDatabase.CreateSeededAsync(provider, customers: 300);

        var emptySize = await MeasureAsync(empty.Settings);
        var filledSize = await MeasureAsync(filled.Settings);

        Assert.True(emptySize > 0);
        Assert.True(filledSize > emptySize, $"{filledSize} bytes with 300 customers, {emptySize} without");
    }

    private static async Task<long> MeasureAsync(DatabaseSettings settings)
    {
        await using var db = DomainServices.CreateSystemContext(settings, TimeProvider.System);
        return await DatabaseSize.MeasureAsync(settings, db);
    }
}
