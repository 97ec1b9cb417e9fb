using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// The model for one provider as <c>dotnet ef</c> needs it; each migrations project has a one-line
/// factory calling this. No database is opened.
/// </summary>
public static class DesignTimeContext
{
    public static CrmDbContext Create(DatabaseProvider provider)
    {
        var connection = provider switch
        {
            DatabaseProvider.Sqlite => "Data Source=design-time.db",
            DatabaseProvider.SqlServer => "Server=localhost;Database=CrmBlazor;Trusted_Connection=True;TrustServerCertificate=True",
            _ => "Host=localhost;Database=crmblazor",
        };
        var options = new DbContextOptionsBuilder<CrmDbContext>();
        new DatabaseSettings(provider, connection).Apply(options);
        return new CrmDbContext(options.Options);
    }
}
