using CrmBlazor.Domain.Access;
using CrmBlazor.Domain.Auditing;
using CrmBlazor.Domain.Data;

namespace CrmBlazor.Server.Hosting;

/// <summary>
/// Audits what <see cref="Permissions.Demand"/> refuses inside a Blazor circuit: a click there is a call into a Domain
/// service, never an HTTP request, so the 403 auditing of <see cref="SignInHosting"/> does not see it. Refusals during
/// an HTTP request are left to that auditing (one row per refusal, naming the route).
/// </summary>
public sealed class CircuitRefusalAudit(DatabaseSettings database, TimeProvider time, ILogger<CircuitRefusalAudit> logger) : IAccessRefusalAudit
{
    public void Refused(ICurrentUser user, string what)
    {
        if (user is not ClaimsCurrentUser { InCircuit: true })
        {
            return;
        }
        try
        {
            // Synchronous: Demand is; a refusal is rare (the UI hides what a role may not do), and the row must not be lost.
            using var db = DomainServices.CreateSystemContext(database, time);
            db.AuditEntries.Add(new AuditEntry
            {
                At = time.GetUtcNow().UtcDateTime,
                UserId = user.UserId,
                UserName = user.DisplayName.Length <= 100 ? user.DisplayName : user.DisplayName[..100],
                Action = AuditAction.AccessDenied,
                EntityType = "Permission",
                EntityId = what,
            });
            db.SaveChanges();
        }
#pragma warning disable CA1031 // The refusal stands whether or not it could be recorded; the failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Could not audit the refusal of {What} to user {UserId}", what, user.UserId);
        }
    }
}
