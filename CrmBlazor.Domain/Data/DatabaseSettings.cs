using Microsoft.EntityFrameworkCore;

namespace CrmBlazor.Domain.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    Postgres,
}

/// <summary>
/// <c>Database:Provider</c> and the matching <c>ConnectionStrings</c> entry (ENGINEERING.md "Data").
/// Each provider has its own migrations assembly.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStart = true)
{
    public string MigrationsAssembly => $"CrmBlazor.Migrations.{Provider}";

    public void Apply(DbContextOptionsBuilder options)
    {
        _ = Provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(ConnectionString, o => o.MigrationsAssembly(MigrationsAssembly)),
            DatabaseProvider.SqlServer => options.UseSqlServer(ConnectionString, o => o.MigrationsAssembly(MigrationsAssembly)),
            DatabaseProvider.Postgres => options.UseNpgsql(ConnectionString, o => o.MigrationsAssembly(MigrationsAssembly)),
            _ => throw new InvalidOperationException($"Unknown database provider {Provider}."),
        };
    }
}
