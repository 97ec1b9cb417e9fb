using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CrmBlazor.Domain.Data;

/// <summary>
/// A context's connection kept open across several queries, closed again when disposed. Always close what you open: a
/// pooled context's reset closes the connection but keeps EF's count of explicit opens, so a context returned open would
/// keep every later renter's connection open until it is disposed (docs/decisions/0028).
/// </summary>
public static class OpenConnection
{
    public static async Task<IAsyncDisposable> KeepOpenAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        await database.OpenConnectionAsync(cancellationToken);
        return new Closer(database);
    }

    private sealed class Closer(DatabaseFacade database) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.CloseConnectionAsync();
    }
}
