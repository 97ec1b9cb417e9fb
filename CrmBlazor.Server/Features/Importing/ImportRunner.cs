using System.Security.Claims;
using CrmBlazor.Domain.Importing;
using CrmBlazor.Server.Hosting;

namespace CrmBlazor.Server.Features.Importing;

/// <summary>
/// Runs a confirmed import in the background (SPEC H2), as the user who confirmed it, so they can go on
/// working: its own DI scope with that user's claims, stopped with the host. Progress reaches the user's
/// pages as <see cref="Domain.Live.ImportProgressed"/> events and, at the end, a notification.
/// </summary>
public sealed class ImportRunner(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<ImportRunner> logger)
{
    public void Start(Guid jobId, ClaimsPrincipal user) => _ = Task.Run(async () =>
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ClaimsCurrentUser>().Set(user);
            await scope.ServiceProvider.GetRequiredService<CustomerImport>().RunAsync(jobId, cancellationToken: lifetime.ApplicationStopping);
        }
#pragma warning disable CA1031 // The job records its failure and stays resumable; the host goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Import {Job} stopped; it can be resumed from the import page", jobId);
        }
    });
}
