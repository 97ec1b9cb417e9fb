using CrmBlazor.Domain.Data;
using Microsoft.EntityFrameworkCore.Design;

namespace CrmBlazor.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the Postgres model; the only hand-written file in this project.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CrmDbContext>
{
    public CrmDbContext CreateDbContext(string[] args) => DesignTimeContext.Create(DatabaseProvider.Postgres);
}
